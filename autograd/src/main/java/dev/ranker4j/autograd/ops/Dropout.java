package dev.ranker4j.autograd.ops;

import dev.ranker4j.autograd.Function;
import dev.ranker4j.tensor.Tensor;

/**
 * Inverted dropout with a given keep mask (Srivastava et al. 2014): y = x ⊙ m / (1 − p), m ∈ {0, 1} drawn with
 * P(m = 1) = 1 − p. The mask is the saved state: dx = g ⊙ m / (1 − p), the same elements dropped.
 */
public final class Dropout extends Function {
    private final Tensor scaledMask;

    /** @param keepMask 0/1 tensor broadcastable to the input; @param p the drop probability it was drawn with */
    public Dropout(Tensor keepMask, double p) {
        if (!(p >= 0 && p < 1)) throw new IllegalArgumentException("Dropout: p must be in [0, 1), got " + p);
        this.scaledMask = keepMask.mul(1.0 / (1.0 - p));
    }

    @Override
    protected Tensor forward(Tensor... in) {
        return in[0].mul(scaledMask.to(in[0].dtype()));
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {g.mul(scaledMask.to(g.dtype()))};
    }
}
