package dev.ranker4j.ir.retrieval;

import java.util.List;

/**
 * Scores (query, passage) pairs for re-ranking: a cross-encoder, a ColBERT late-interaction model, or a dual encoder
 * (see {@link DualEncoderScorer}). Higher means more relevant; scores are compared only within one query.
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
