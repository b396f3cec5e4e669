package dev.ranker4j.autograd.ops;

import dev.ranker4j.autograd.DifferentiableFunction;
import dev.ranker4j.tensor.Tensor;

import java.util.List;

/**
 * y = the inputs joined along {@code axis} (they agree on every other axis). Stack is concat of unsqueezed inputs.
 * dx_i is the slice of g where input i landed.
 */
public final class ConcatFn extends DifferentiableFunction {
    private final int axis;
    private int[] sizes;
    private int resolvedAxis;

    public ConcatFn(int axis) {
        this.axis = axis;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        resolvedAxis = axis < 0 ? axis + in[0].rank() : axis;
        sizes = new int[in.length];
        for (int i = 0; i < in.length; i++) sizes[i] = in[i].shape()[resolvedAxis];
        return Tensor.concat(resolvedAxis, List.of(in));
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor[] grads = new Tensor[sizes.length];
        int offset = 0;
        for (int i = 0; i < sizes.length; i++) {
            if (needsGrad(i)) grads[i] = g.narrow(resolvedAxis, offset, sizes[i]);
            offset += sizes[i];
        }
        return grads;
    }
}
