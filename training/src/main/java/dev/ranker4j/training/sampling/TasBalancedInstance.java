package dev.ranker4j.training.sampling;

import java.util.Objects;

/**
 * One query of a TAS-Balanced batch: the query, the (p+, p-) pair drawn for it and the teacher's scores, which
 * Margin-MSE turns into the target margin. {@code cluster} is the index of the topic cluster the query came from
 * (kept so batch composition can be inspected).
 */
public record TasBalancedInstance(String queryId, int cluster, TeacherPair pair) {
    public TasBalancedInstance {
        Objects.requireNonNull(queryId, "queryId");
        Objects.requireNonNull(pair, "pair");
    }
}
