package dev.ranker4j.training.sampling;

import java.util.Objects;

/**
 * A (positive, negative) passage pair of one query with a teacher's scores for both, as Margin-MSE (Hofstätter et al.
 * 2020) trains on: the student learns {@code s(q,p+) - s(q,p-)} to match {@link #margin()}.
 */
public record TeacherPair(String positiveId, String negativeId, float positiveScore, float negativeScore) {
    public TeacherPair {
        Objects.requireNonNull(positiveId, "positiveId");
        Objects.requireNonNull(negativeId, "negativeId");
    }

    /** The teacher margin {@code s(q,p+) - s(q,p-)}. */
    public float margin() {
        return positiveScore - negativeScore;
    }
}
