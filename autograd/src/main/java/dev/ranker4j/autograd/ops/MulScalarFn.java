package dev.ranker4j.autograd.ops;

import dev.ranker4j.autograd.DifferentiableFunction;
import dev.ranker4j.tensor.Tensor;

/** y = c · x for a constant c. dy/dx = c. */
public final class MulScalarFn extends DifferentiableFunction {
    private final double c;

    public MulScalarFn(double c) {
        this.c = c;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        return in[0].mul(c);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {g.mul(c)};
    }
}
