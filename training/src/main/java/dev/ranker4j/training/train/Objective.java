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

    /**
     * The loss of a batch and its parts. {@code gradientsComputed} is true when the objective has already
     * accumulated dL/dθ itself (gradient caching) and {@code total} is only the value.
     */
    record Loss(Variable total, Map<String, Double> parts, boolean gradientsComputed) {
        public Loss(Variable total, Map<String, Double> parts) {
            this(total, parts, false);
        }

        public Loss(Variable total) {
            this(total, Map.of(), false);
        }

        /** A loss whose gradients the objective has already accumulated into the parameters. */
        public static Loss alreadyBackpropagated(double value, dev.ranker4j.tensor.DType dtype) {
            return new Loss(Variable.constant(dev.ranker4j.tensor.Tensor.scalar(value, dtype)), Map.of(), true);
        }
    }

    Loss loss(B batch);

    /** Training examples in the batch (queries, or pairs), for the examples-per-second figure. */
    int examples(B batch);
}
