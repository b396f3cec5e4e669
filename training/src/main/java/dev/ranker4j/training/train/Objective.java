package dev.ranker4j.training.train;

import dev.ranker4j.autograd.Variable;

import java.util.Map;

/**
 * What one batch costs: runs the model(s) on a batch and returns the loss with its graph, plus named parts for the
 * log (e.g. TAS-B's pairwise and in-batch terms).
 *
 * @param <B> the batch type
 */
public interface Objective<B> {

    /** The loss of a batch and its parts. */
    record Loss(Variable total, Map<String, Double> parts) {
        public Loss(Variable total) {
            this(total, Map.of());
        }
    }

    Loss loss(B batch);

    /** Training examples in the batch (queries, or pairs), for the examples-per-second figure. */
    int examples(B batch);
}
