package dev.ranker4j.autograd.ops;

import dev.ranker4j.tensor.Tensor;

/**
 * y = Σ x over {@code axes} (all axes when empty), keeping them as size 1 when {@code keepdim}.
 * Every summed element contributes once: dx = g broadcast back over the reduced axes.
 */
public final class Sum extends Reduction {

    public Sum(int[] axes, boolean keepdim) {
        super(axes, keepdim);
    }

    @Override
    protected Tensor forward(Tensor... in) {
        resolveAxes(in[0]);
        return in[0].sum(axes, keepdim);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {g.reshape(keptShape()).expand(inputShape)};
    }
}
