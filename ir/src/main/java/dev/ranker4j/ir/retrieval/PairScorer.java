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
}
