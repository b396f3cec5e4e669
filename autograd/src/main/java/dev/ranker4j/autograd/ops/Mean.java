package dev.ranker4j.autograd.ops;

import dev.ranker4j.autograd.Function;
import dev.ranker4j.tensor.Tensor;

/** y = (1/n) Σ x over {@code axes} (n elements each). dx = g / n broadcast back over the reduced axes. */
public final class Mean extends Function {
    private final int[] requestedAxes;
    private final boolean keepdim;
    private int[] inputShape;
    private int[] axes;

    public Mean(int[] axes, boolean keepdim) {
        this.requestedAxes = axes.clone();
        this.keepdim = keepdim;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        inputShape = in[0].shape();
        axes = Axes.normalize(name(), requestedAxes, inputShape.length);
        return in[0].mean(axes, keepdim);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        double n = Axes.count(inputShape, axes);
        return new Tensor[] {g.mul(1.0 / n).reshape(Axes.keptShape(inputShape, axes)).expand(inputShape)};
    }
}
