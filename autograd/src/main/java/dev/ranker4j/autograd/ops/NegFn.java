package dev.ranker4j.autograd.ops;

import dev.ranker4j.autograd.DifferentiableFunction;
import dev.ranker4j.tensor.Tensor;

/** y = −x. dy/dx = −1. */
public final class NegFn extends DifferentiableFunction {
    @Override
    protected Tensor forward(Tensor... in) {
        return in[0].neg();
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {g.neg()};
    }
}
