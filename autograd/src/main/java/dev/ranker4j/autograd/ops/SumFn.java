package dev.ranker4j.autograd.ops;

import dev.ranker4j.tensor.Tensor;

/**
 * y = Σ x over {@code axes} (all axes when empty), keeping them as size 1 when {@code keepDim}.
 * Every summed element contributes once: dx = g broadcast back over the reduced axes.
 */
public final class SumFn extends Reduction {

    public SumFn(int[] axes, boolean keepDim) {
        super(axes, keepDim);
    }

    @Override
    protected Tensor forward(Tensor... in) {
        resolveAxes(in[0]);
        return in[0].sum(axes, keepDim);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {g.reshape(keptShape()).expand(inputShape)};
    }
}
