package dev.ranker4j.autograd.ops;

import dev.ranker4j.autograd.DifferentiableFunction;
import dev.ranker4j.tensor.Tensor;

/**
 * y = x broadcast to a larger shape without copying (size-1 axes repeat, new leading axes appear).
 * Each x element feeds many y elements, so dx sums g over them: exactly what the engine's sum-to-shape does.
 */
public final class ExpandFn extends DifferentiableFunction {
    private final int[] shape;

    public ExpandFn(int... shape) {
        this.shape = shape.clone();
    }

    @Override
    protected Tensor forward(Tensor... in) {
        return in[0].expand(shape);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {g};
    }
}
