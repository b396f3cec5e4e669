package dev.ranker4j.autograd.ops;

import dev.ranker4j.tensor.Tensor;

/** y = (1/n) Σ x over {@code axes} (n elements each). dx = g / n broadcast back over the reduced axes. */
public final class MeanFn extends Reduction {

    public MeanFn(int[] axes, boolean keepDim) {
        super(axes, keepDim);
    }

    @Override
    protected Tensor forward(Tensor... in) {
        resolveAxes(in[0]);
        return in[0].mean(axes, keepDim);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        double n = count(inputShape, axes);
        return new Tensor[] {g.mul(1.0 / n).reshape(keptShape()).expand(inputShape)};
    }
}
