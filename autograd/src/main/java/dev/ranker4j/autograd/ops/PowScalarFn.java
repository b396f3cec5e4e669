package dev.ranker4j.autograd.ops;

import dev.ranker4j.autograd.DifferentiableFunction;
import dev.ranker4j.tensor.Tensor;

/** y = x^p for a constant exponent p. dy/dx = p · x^(p−1). */
public final class PowScalarFn extends DifferentiableFunction {
    private final double p;

    public PowScalarFn(double p) {
        this.p = p;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        save(in[0]);
        return in[0].pow(p);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {g.mul(saved(0).pow(p - 1).mul(p))};
    }
}
