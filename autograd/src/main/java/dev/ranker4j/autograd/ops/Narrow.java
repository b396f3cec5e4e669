package dev.ranker4j.autograd.ops;

import dev.ranker4j.autograd.Function;
import dev.ranker4j.tensor.Tensor;

/**
 * y = x[..., start : start + length, ...] along {@code axis} (a view; split and chunk are several of these).
 * dx is g placed back at its position with zeros around it.
 */
public final class Narrow extends Function {
    private final int axis;
    private final int start;
    private final int length;
    private int[] inputShape;

    public Narrow(int axis, int start, int length) {
        this.axis = axis;
        this.start = start;
        this.length = length;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        inputShape = in[0].shape();
        return in[0].narrow(axis, start, length);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        if (start == 0 && length == inputShape[axis < 0 ? axis + inputShape.length : axis]) return new Tensor[] {g};
        Tensor dx = Tensor.zeros(g.dtype(), inputShape);   // one zeroed buffer, g copied into its window
        dx.narrow(axis, start, length).copyFrom(g);
        return new Tensor[] {dx};
    }
}
