package dev.ranker4j.ir.retrieval;

import java.util.List;

/**
 * Scores (query, passage) pairs for re-ranking: a cross-encoder, a ColBERT late-interaction model, or a dual encoder
 * (see {@link DualEncoderScorer}). Higher means more relevant; scores are compared only within one query.
 *
 * <p>A scorer takes a list of any length and cuts it into forward passes itself (each has a batch size of its own),
 * so every caller, {@code ranker4j rerank}, the API, training's evaluation and the Spark jobs, hands it a query's
 * whole list and gets the same scores for it.
 */
@FunctionalInterface
public interface PairScorer {
    /** One score per passage, in the order of {@code passages}. */
    float[] score(String query, List<String> passages);

    /**
     * Scores several queries' passages: {@code result[i][j]} scores {@code passages.get(i).get(j)} for
     * {@code queries.get(i)}. One {@link #score} call per query here; a scorer that can share forward passes across
     * queries overrides it (a score may then differ from {@link #score}'s in the last bits, as any change of batch
     * does).
     */
    default float[][] scoreAll(List<String> queries, List<List<String>> passages) {
        if (queries.size() != passages.size()) {
            throw new IllegalArgumentException(queries.size() + " queries but " + passages.size() + " passage lists");
        }
        float[][] scores = new float[queries.size()][];
        for (int i = 0; i < scores.length; i++) scores[i] = score(queries.get(i), passages.get(i));
        return scores;
    }
}
