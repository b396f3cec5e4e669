package dev.ranker4j.ir.retrieval;

import dev.ranker4j.ir.data.Run;
import dev.ranker4j.ir.data.ScoredDoc;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Second stage of a retrieve-then-rerank pipeline: each query's first {@code depth} documents of a run (in trec_eval
 * order) are scored by a {@link PairScorer} and ranked by that score. The new run holds only those documents; the
 * first stage's scores are dropped (they are on another scale). Each query's list goes to the scorer in one call
 * (the scorer batches it: see {@link PairScorer}).
 */
public final class RunReranker {
    private final PairScorer scorer;
    private final int depth;

    /**
     * @param scorer scores (query, passage) pairs
     * @param depth  documents re-ranked per query
     */
    public RunReranker(PairScorer scorer, int depth) {
        if (depth < 1) throw new IllegalArgumentException("depth must be positive: " + depth);
        this.scorer = scorer;
        this.depth = depth;
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
            List<String> passages = new ArrayList<>(top.size());
            for (ScoredDoc doc : top) {
                String text = docTexts.get(doc.docId());
                if (text == null) {
                    throw new IllegalArgumentException("document " + doc.docId() + " (query " + queryId
                            + ") is not in the corpus");
                }
                passages.add(text);
            }
            float[] scores = scorer.score(query, passages);
            if (scores.length != top.size()) {
                throw new IllegalStateException("the scorer returned " + scores.length + " scores for "
                        + top.size() + " passages");
            }
            for (int i = 0; i < scores.length; i++) reranked.add(queryId, top.get(i).docId(), scores[i]);
            progress.advance(top.size());
        }
        return reranked.build();
    }
}
