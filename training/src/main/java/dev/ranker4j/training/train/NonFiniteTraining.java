package dev.ranker4j.training.train;

import dev.ranker4j.autograd.nn.Module;
import dev.ranker4j.autograd.nn.Parameter;
import dev.ranker4j.tensor.Tensor;

import java.util.Map;

/**
 * Training diverged: a loss or a gradient norm is NaN or infinite. Continuing would write NaN weights into every
 * later checkpoint, so the trainer stops at once; the message names the step and the first parameter (by its
 * checkpoint name) whose value or gradient is not finite, which usually points at the cause (a learning rate too
 * high, a bad input).
 */
public final class NonFiniteTraining extends IllegalStateException {
    private final long step;

    private NonFiniteTraining(long step, String message) {
        super(message);
        this.step = step;
    }

    /** The 1-based step that failed. */
    public long step() {
        return step;
    }

    static NonFiniteTraining loss(long step, int microBatch, double value, Module model) {
        String where = firstNonFinite(model.namedParameters(), false);
        return new NonFiniteTraining(step, "step " + step + (microBatch > 0 ? " (micro-batch " + (microBatch + 1) + ")" : "")
                + ": the loss is " + value + "; " + (where == null
                ? "every parameter is still finite (the loss overflowed: a learning rate too high, or bad inputs?)"
                : "the first parameter that is not finite is " + where)
                + ". Training stopped; the last checkpoint is the last good state");
    }

    static NonFiniteTraining gradient(long step, double norm, Map<String, Parameter> parameters) {
        String where = firstNonFinite(parameters, true);
        return new NonFiniteTraining(step, "step " + step + ": the gradient norm is " + norm
                + (where == null ? "" : "; the first gradient that is not finite is that of " + where)
                + ". Training stopped; the last checkpoint is the last good state");
    }

    /** "name (NaN at flat index i)" of the first parameter (or its gradient) holding a non-finite value, or null. */
    private static String firstNonFinite(Map<String, Parameter> parameters, boolean gradients) {
        for (Map.Entry<String, Parameter> e : parameters.entrySet()) {
            Tensor t = gradients ? e.getValue().grad() : e.getValue().value();
            if (t == null) continue;
            double[] values = t.contiguous().toDoubleArray();
            for (int i = 0; i < values.length; i++) {
                if (!Double.isFinite(values[i])) return "'" + e.getKey() + "' (" + values[i] + " at element " + i + ")";
            }
        }
        return null;
    }
}
