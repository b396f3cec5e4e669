package dev.ranker4j.autograd.ops;

import dev.ranker4j.autograd.DifferentiableFunction;
import dev.ranker4j.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * y = x[..., start : start + length, ...] along {@code axis} (a view; split and chunk are several of these).
 * dx is g placed back at its position with zeros around it.
 */
public final class NarrowFn extends DifferentiableFunction {
    private final int axis;
    private final int start;
    private final int length;
    private int[] inputShape;

    public NarrowFn(int axis, int start, int length) {
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
        int a = axis < 0 ? axis + inputShape.length : axis;
        int after = inputShape[a] - start - length;
        List<Tensor> pieces = new ArrayList<>(3);   // one concat (block copies) of [zeros, g, zeros]
        if (start > 0) pieces.add(zerosLike(g, a, start));
        pieces.add(g);
        if (after > 0) pieces.add(zerosLike(g, a, after));
        return new Tensor[] {pieces.size() == 1 ? g : Tensor.concat(a, pieces)};
    }

    private static Tensor zerosLike(Tensor g, int axis, int size) {
        int[] shape = g.shape();
        shape[axis] = size;
        return Tensor.zeros(g.dtype(), shape);
    }
}
