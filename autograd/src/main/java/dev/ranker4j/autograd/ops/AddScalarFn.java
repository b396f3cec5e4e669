package dev.ranker4j.autograd.ops;

import dev.ranker4j.autograd.DifferentiableFunction;
import dev.ranker4j.tensor.Tensor;

/** y = x + c for a constant c. dy/dx = 1. */
public final class AddScalarFn extends DifferentiableFunction {
    private final double c;

    public AddScalarFn(double c) {
        this.c = c;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        return in[0].add(c);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {g};
    }
}
