package dev.ranker4j.training.train;

import java.util.Map;

/** Called every {@code evalEvery} steps (and at the end) with the model in evaluation mode; returns metrics to log. */
@FunctionalInterface
public interface EvaluationHook {
    Map<String, Double> evaluate(long step);
}
