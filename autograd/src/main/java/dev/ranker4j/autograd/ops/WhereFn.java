package dev.ranker4j.autograd.ops;

import dev.ranker4j.autograd.DifferentiableFunction;
import dev.ranker4j.tensor.Tensor;

/**
 * c = cond ? a : b elementwise with broadcasting; cond is a constant (nonzero = true) fixed at construction. The
 * gradient flows to a where cond holds and to b elsewhere.
 */
public final class WhereFn extends DifferentiableFunction {
    private final Tensor cond;

    public WhereFn(Tensor cond) {
        this.cond = cond;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        return Tensor.where(cond, in[0], in[1]);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor zero = Tensor.zeros(g.dtype(), 1);
        return new Tensor[] {
            needsGrad(0) ? Tensor.where(cond, g, zero) : null,
            needsGrad(1) ? Tensor.where(cond, zero, g) : null};
    }
}
