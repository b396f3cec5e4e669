package dev.ranker4j.transformer.ranking;

import dev.ranker4j.autograd.Variable;
import dev.ranker4j.transformer.bert.Pooling;

/** How a dual encoder compares a query vector with a passage vector. */
public enum DualEncoderSimilarity {
    /** q · p (TAS-B, DPR). */
    DOT,
    /** q · p / (‖q‖ ‖p‖) (sentence-transformers models with a Normalize module). */
    COSINE;

    /** All pairs: queries [Q, d], passages [P, d] → [Q, P]. */
    public Variable matrix(Variable queries, Variable passages) {
        return this == DOT ? queries.matmul(passages, false, true)
                : Pooling.l2Normalize(queries).matmul(Pooling.l2Normalize(passages), false, true);
    }

    /** Row-aligned pairs: queries [B, d], passages [B, d] → [B]. */
    public Variable pairs(Variable queries, Variable passages) {
        Variable q = this == DOT ? queries : Pooling.l2Normalize(queries);
        Variable p = this == DOT ? passages : Pooling.l2Normalize(passages);
        return q.mul(p).sum(1);
    }
}
