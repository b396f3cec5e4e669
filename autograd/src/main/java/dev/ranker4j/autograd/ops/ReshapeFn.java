package dev.ranker4j.autograd.ops;

import dev.ranker4j.autograd.DifferentiableFunction;
import dev.ranker4j.tensor.Tensor;

/** y = x viewed with another shape of the same size (also squeeze/unsqueeze). dx = g reshaped back. */
public final class ReshapeFn extends DifferentiableFunction {
    private final int[] shape;
    private int[] inputShape;

    public ReshapeFn(int... shape) {
        this.shape = shape.clone();
    }

    @Override
    protected Tensor forward(Tensor... in) {
        inputShape = in[0].shape();
        return in[0].reshape(shape);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {g.reshape(inputShape)};
    }
}
