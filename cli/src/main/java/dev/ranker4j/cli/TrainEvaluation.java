package dev.ranker4j.cli;

import dev.ranker4j.ir.data.Qrels;
import dev.ranker4j.ir.data.Run;
import dev.ranker4j.ir.metrics.Evaluator;
import dev.ranker4j.ir.metrics.Metric;
import dev.ranker4j.ir.retrieval.TextFiles;
import dev.ranker4j.tokenizer.WordPieceTokenizer;
import dev.ranker4j.training.retrieval.ColbertScorer;
import dev.ranker4j.training.retrieval.CrossEncoderScorer;
import dev.ranker4j.ir.retrieval.DualEncoderScorer;
import dev.ranker4j.training.retrieval.DualEncoderTowers;
import dev.ranker4j.training.train.BestCheckpoint;
import dev.ranker4j.training.train.EvaluationHook;
import dev.ranker4j.training.train.RankingEvaluation;
import dev.ranker4j.training.train.Trainer;
import dev.ranker4j.transformer.ranking.Colbert;
import dev.ranker4j.transformer.ranking.ColbertInputs;
import dev.ranker4j.transformer.ranking.CrossEncoder;
import dev.ranker4j.transformer.ranking.DualEncoder;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The optional {@code evaluation} section of a {@code train} config: every {@code every_steps} steps (0: only at the
 * end) the model being trained is evaluated on judged queries and the means are written to {@code train_log.jsonl}
 * ({@code eval_<metric>}) and printed as a JSON line.
 * <pre>
 * "evaluation": {"every_steps": 500, "qrels": "...", "queries": "...", "corpus": "...",
 *                "run": "bm25.trec", "rerank_depth": 100,      (re-rankers: lce, bce, distillation)
 *                "k": 100,                                     (retrievers: tas-balanced, rocketqav2's retriever)
 *                "metrics": ["ndcg@10", "mrr@10"], "rel_threshold": 1, "max_length": 256,
 *                "keep_best": "ndcg@10"}                       (optional: OUTPUT/best-checkpoint/)
 * </pre>
 * A cross-encoder or ColBERT re-ranks {@code run}'s top {@code rerank_depth}; a dual encoder encodes {@code corpus} and
 * the queries and searches its top {@code k} exactly with the model's similarity, or, when {@code run} is given,
 * re-scores the run's top {@code rerank_depth} (far cheaper for frequent dev evaluations).
 */
final class TrainEvaluation {
    private final TrainConfig section;
    private final long everySteps;

    TrainEvaluation(TrainConfig section) {
        this.section = section;
        this.everySteps = section.integer("every_steps", 0, 0, Long.MAX_VALUE);
    }

    /** Tokens per evaluated sequence ({@code evaluation.max_length}). */
    int maxLength() {
        return section.count("max_length", 256, 8);
    }

    TrainConfig section() {
        return section;
    }

    long everySteps() {
        return everySteps;
    }

    /**
     * The hook for {@code model} (a {@link CrossEncoder} or a {@link DualEncoder}), printing each result to
     * {@code console}, and keeping the best checkpoint of {@code trainer} when {@code keep_best} is set.
     */
    EvaluationHook hook(Object model, WordPieceTokenizer tokenizer, Trainer<?> trainer, java.nio.file.Path output,
                        PrintStream console) {
        List<Metric> metrics = metrics();
        Evaluator evaluator = new Evaluator(Qrels.read(section.path("qrels")), metrics,
                (int) section.integer("rel_threshold", 1, Integer.MIN_VALUE, Integer.MAX_VALUE), false);
        Map<String, String> queries = TextFiles.queries(section.path("queries"));
        Map<String, String> corpus = TextFiles.documents(section.path("corpus"));
        int maxLength = maxLength();
        EvaluationHook evaluation = switch (model) {
            case CrossEncoder crossEncoder -> {
                if (!section.has("run")) throw section.error("run", "is missing (a re-ranker re-ranks a first-stage run)");
                yield RankingEvaluation.reranking(new CrossEncoderScorer(tokenizer, crossEncoder, maxLength,
                        RankingEvaluation.BATCH_SIZE),
                        Run.readTrec(section.path("run")), section.count("rerank_depth", 100, 1), queries, corpus,
                        evaluator);
            }
            case Colbert colbert -> {
                if (!section.has("run")) throw section.error("run", "is missing (ColBERT re-ranks a first-stage run)");
                yield RankingEvaluation.reranking(new ColbertScorer(tokenizer, colbert, ColbertInputs.BERT_UNCASED,
                        section.count("query_length", 32, 1), maxLength, RankingEvaluation.BATCH_SIZE),
                        Run.readTrec(section.path("run")), section.count("rerank_depth", 100, 1), queries, corpus, evaluator);
            }
            case DualEncoder dualEncoder when section.has("run") -> {
                // Cheaper than retrieving from the whole corpus: re-score the run's top candidates.
                if (section.has("k")) throw section.error("k", "is not used when 'run' is given (the dual encoder re-ranks its top 'rerank_depth')");
                yield RankingEvaluation.reranking(new DualEncoderScorer(DualEncoderTowers.queries(dualEncoder, tokenizer),
                        DualEncoderTowers.passages(dualEncoder, tokenizer).inBatchesOf(RankingEvaluation.BATCH_SIZE),
                        DualEncoderTowers.similarity(dualEncoder),
                        section.count("query_length", 32, 1), maxLength), Run.readTrec(section.path("run")),
                        section.count("rerank_depth", 100, 1), queries, corpus, evaluator);
            }
            case DualEncoder dualEncoder -> {
                yield RankingEvaluation.denseRetrieval(DualEncoderTowers.queries(dualEncoder, tokenizer),
                        DualEncoderTowers.passages(dualEncoder, tokenizer), DualEncoderTowers.similarity(dualEncoder),
                        maxLength, section.count("k", 100, 1), queries, corpus, evaluator);
            }
            default -> throw new IllegalStateException("no evaluation for " + model.getClass().getSimpleName());
        };
        if (section.has("keep_best")) {
            String best = section.string("keep_best").toLowerCase(Locale.ROOT);
            if (metrics.stream().noneMatch(m -> m.name().equals(best))) {
                throw section.error("keep_best", "is '" + best + "', which is not one of the metrics " + metrics);
            }
            evaluation = new BestCheckpoint(evaluation, best, output, trainer::saveCheckpoint);
        }
        EvaluationHook logged = evaluation;
        return step -> {
            Map<String, Double> values = logged.evaluate(step);
            StringBuilder line = new StringBuilder("{\"step\":").append(step);
            values.forEach((name, value) -> line.append(",").append(Json.quote("eval_" + name)).append(":")
                    .append(Json.number(value, "%.4f")));
            console.println(line.append("}"));
            console.flush();
            return values;
        };
    }

    private List<Metric> metrics() {
        List<Metric> metrics = new ArrayList<>();
        if (!section.has("metrics")) return List.of(Metric.parse("ndcg@10"), Metric.parse("mrr@10"));
        var raw = section.raw("metrics");
        if (!raw.isArray() || raw.isEmpty()) throw section.error("metrics", "must be a non-empty array such as [\"ndcg@10\"]");
        for (var name : raw) {
            if (!name.isTextual()) throw section.error("metrics", "must hold metric names (strings), got " + name);
            try {
                metrics.add(Metric.parse(name.asText()));
            } catch (IllegalArgumentException e) {
                throw section.error("metrics", "has '" + name.asText() + "': " + e.getMessage());
            }
        }
        return metrics;
    }
}
