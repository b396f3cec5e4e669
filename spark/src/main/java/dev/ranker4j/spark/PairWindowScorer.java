package dev.ranker4j.spark;

import dev.ranker4j.ir.retrieval.PairScorer;
import org.apache.spark.util.LongAccumulator;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.Function;

/**
 * Scores the (query, passage) rows of one partition, a window of rows at a time, with the executor's shared pair
 * scorer: the window's rows are grouped by query text, each query's passages sorted longest first and handed over as
 * ranker4j rerank hands them (in one {@link PairScorer#score} call; the scorer cuts them into batches of
 * {@code batchSize}), and the scores come back in row order.
 *
 * @param model       model directory or ORG/NAME, opened on the executor
 * @param kind        cross-encoder, ColBERT or dual encoder, as {@code ranker4j rerank --kind}
 * @param maxLength   tokens per pair (cross-encoder) or passage
 * @param queryLength query tokens (ColBERT, dual encoder)
 * @param batchSize   pairs per forward pass
 * @param window      rows scored together (0: the whole partition)
 * @param threads     kernel threads per task (0: spark.task.cpus)
 */
record PairWindowScorer(String model, ExecutorModels.ScorerKind kind, int maxLength, int queryLength, int batchSize,
                        int window, int threads) implements Serializable {

    PairWindowScorer {
        if (model == null || model.isBlank()) throw new IllegalArgumentException("no model given");
        if (maxLength < 1 || queryLength < 1 || batchSize < 1 || window < 0 || threads < 0) {
            throw new IllegalArgumentException("lengths and batch size must be positive, window and threads at least"
                    + " 0: " + maxLength + ", " + queryLength + ", " + batchSize + ", " + window + ", " + threads);
        }
    }

    /** A row and its score (null when its query or passage is null). */
    record Scored<T>(T row, Float score) {}

    PairScorer scorer() {
        return ExecutorModels.pairScorer(model, kind, maxLength, queryLength, batchSize, threads);
    }

    <T> Iterator<Scored<T>> score(Iterator<T> rows, Function<T, String> query, Function<T, String> passage,
                                  LongAccumulator scored) {
        return new Iterator<>() {
            private final List<Scored<T>> ready = new ArrayList<>();
            private int next;

            @Override
            public boolean hasNext() {
                if (next < ready.size()) return true;
                ready.clear();
                next = 0;
                if (!rows.hasNext()) return false;
                List<T> batch = new ArrayList<>();
                while (rows.hasNext() && (window == 0 || batch.size() < window)) batch.add(rows.next());
                ready.addAll(scoreWindow(batch, query, passage, scored));
                return true;
            }

            @Override
            public Scored<T> next() {
                if (!hasNext()) throw new NoSuchElementException();
                return ready.get(next++);
            }
        };
    }

    <T> List<Scored<T>> scoreWindow(List<T> rows, Function<T, String> query, Function<T, String> passage,
                                    LongAccumulator scored) {
        Map<String, List<Integer>> byQuery = new LinkedHashMap<>();
        for (int i = 0; i < rows.size(); i++) {
            String q = query.apply(rows.get(i));
            if (q != null && passage.apply(rows.get(i)) != null) byQuery.computeIfAbsent(q, x -> new ArrayList<>()).add(i);
        }
        Float[] scores = new Float[rows.size()];
        if (!byQuery.isEmpty()) {
            PairScorer scorer = scorer();
            for (var entry : byQuery.entrySet()) {
                List<Integer> members = new ArrayList<>(entry.getValue());
                members.sort(Comparator.comparingInt((Integer i) -> -passage.apply(rows.get(i)).length()));
                List<String> passages = new ArrayList<>(members.size());
                for (int i : members) passages.add(passage.apply(rows.get(i)));
                float[] result = scorer.score(entry.getKey(), passages);
                if (result.length != members.size()) {
                    throw new IllegalStateException("the scorer returned " + result.length + " scores for "
                            + members.size() + " passages");
                }
                for (int j = 0; j < result.length; j++) scores[members.get(j)] = result[j];
                if (scored != null) scored.add(members.size());
            }
        }
        List<Scored<T>> out = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) out.add(new Scored<>(rows.get(i), scores[i]));
        return out;
    }
}
