package dev.ranker4j.training.optim;

import dev.ranker4j.autograd.nn.Parameter;
import dev.ranker4j.tensor.Tensor;

import java.util.Collection;

/**
 * Global-norm gradient clipping, as {@code torch.nn.utils.clip_grad_norm_}: with N = √(Σ_p ‖g_p‖²) over all
 * parameters, every gradient is scaled by min(1, maxNorm / (N + 10⁻⁶)). Scaling all gradients by one factor keeps
 * the update's direction.
 */
public final class GradientClipping {
    private GradientClipping() {}

    /** Clips in place and returns the norm before clipping. */
    public static double clipGlobalNorm(Collection<Parameter> parameters, double maxNorm) {
        if (!(maxNorm > 0)) throw new IllegalArgumentException("clipGlobalNorm: max norm must be > 0, got " + maxNorm);
        double total = globalNorm(parameters);
        scale(parameters, maxNorm, total);
        return total;
    }

    /** Clips in place, given the gradients' global norm {@code total} (already computed). */
    public static void scale(Collection<Parameter> parameters, double maxNorm, double total) {
        double coefficient = maxNorm / (total + 1e-6);
        if (coefficient < 1) {
            for (Parameter p : parameters) if (p.grad() != null) p.grad().mulInPlace(coefficient);
        }
    }

    /** √(Σ_p Σ_i g_pi²) over the parameters that have a gradient. */
    public static double globalNorm(Collection<Parameter> parameters) {
        double sumOfSquares = 0;
        for (Parameter p : parameters) {
            Tensor g = p.grad();
            if (g != null) sumOfSquares = g.sumOfSquares(sumOfSquares);
        }
        return Math.sqrt(sumOfSquares);
    }
}
