package dev.ranker4j.ir.retrieval;

import dev.ranker4j.ir.data.Run;
import dev.ranker4j.ir.data.ScoredDoc;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Second stage of a retrieve-then-rerank pipeline: each query's first {@code depth} documents of a run (in trec_eval
 * order) are scored by a {@link PairScorer} and ranked by that score. The new run holds only those documents; the
 * first stage's scores are dropped (they are on another scale).
 */
public final class RunReranker {
    private final PairScorer scorer;
    private final int depth;
    private final int batchSize;

    /**
     * @param scorer    scores (query, passage) pairs
     * @param depth     documents re-ranked per query
     * @param batchSize passages per {@link PairScorer#score} call
     */
    public RunReranker(PairScorer scorer, int depth, int batchSize) {
        if (depth < 1 || batchSize < 1) {
            throw new IllegalArgumentException("depth and batchSize must be positive: " + depth + ", " + batchSize);
        }
        this.scorer = scorer;
        this.depth = depth;
        this.batchSize = batchSize;
    }

    /** Pairs the re-ranking of {@code run} will score (for a progress bar's total). */
    public long pairCount(Run run) {
        long pairs = 0;
        for (String query : run.queryIds()) pairs += Math.min(depth, run.ranking(query).size());
        return pairs;
    }

    /**
     * Re-ranks {@code run}.
     *
     * @param queryTexts query id to text; every query of the run must have one
     * @param docTexts   document id to the text the scorer sees (e.g. title + " " + text)
     */
    public Run rerank(Run run, Map<String, String> queryTexts, Map<String, String> docTexts, Progress progress) {
        Run.Builder reranked = new Run.Builder();
        for (String queryId : run.queryIds()) {
            String query = queryTexts.get(queryId);
            if (query == null) throw new IllegalArgumentException("query " + queryId + " of the run has no text");
            List<ScoredDoc> top = run.ranking(queryId).subList(0, Math.min(depth, run.ranking(queryId).size()));
            for (int start = 0; start < top.size(); start += batchSize) {
                List<ScoredDoc> batch = top.subList(start, Math.min(top.size(), start + batchSize));
                List<String> passages = new ArrayList<>(batch.size());
                for (ScoredDoc doc : batch) {
                    String text = docTexts.get(doc.docId());
                    if (text == null) {
                        throw new IllegalArgumentException("document " + doc.docId() + " (query " + queryId
                                + ") is not in the corpus");
                    }
                    passages.add(text);
                }
                float[] scores = scorer.score(query, passages);
                if (scores.length != batch.size()) {
                    throw new IllegalStateException("the scorer returned " + scores.length + " scores for "
                            + batch.size() + " passages");
                }
                for (int i = 0; i < scores.length; i++) reranked.add(queryId, batch.get(i).docId(), scores[i]);
                progress.advance(batch.size());
            }
        }
        return reranked.build();
    }
}
