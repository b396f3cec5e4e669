package dev.ranker4j.autograd.ops;

import dev.ranker4j.autograd.Function;
import dev.ranker4j.tensor.Tensor;

/**
 * y = Σ x over {@code axes} (all axes when empty), keeping them as size 1 when {@code keepdim}.
 * Every summed element contributes once: dx = g broadcast back over the reduced axes.
 */
public final class Sum extends Function {
    private final int[] requestedAxes;
    private final boolean keepdim;
    private int[] inputShape;
    private int[] axes;

    public Sum(int[] axes, boolean keepdim) {
        this.requestedAxes = axes.clone();
        this.keepdim = keepdim;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        inputShape = in[0].shape();
        axes = Axes.normalize(name(), requestedAxes, inputShape.length);
        return in[0].sum(axes, keepdim);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {g.reshape(Axes.keptShape(inputShape, axes)).expand(inputShape)};
    }
}
