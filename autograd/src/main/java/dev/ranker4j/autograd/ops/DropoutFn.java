package dev.ranker4j.autograd.ops;

import dev.ranker4j.autograd.DifferentiableFunction;
import dev.ranker4j.tensor.Tensor;

/**
 * Inverted dropout (Srivastava et al. 2014) with a given mask m whose elements are 0 (dropped, probability p) or
 * 1/(1 − p) (kept), as {@code SeededRandom.dropoutMask} draws it: y = x ⊙ m. The mask is the saved state, so the
 * backward drops the same elements: dx = g ⊙ m.
 */
public final class DropoutFn extends DifferentiableFunction {
    private final Tensor mask;

    /** @param mask 0 or 1/(1 − p) per element, broadcastable to the input */
    public DropoutFn(Tensor mask) {
        this.mask = mask;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        return in[0].mul(mask);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {g.mul(mask)};
    }
}
