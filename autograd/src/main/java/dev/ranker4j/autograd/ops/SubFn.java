package dev.ranker4j.autograd.ops;

import dev.ranker4j.autograd.DifferentiableFunction;
import dev.ranker4j.tensor.Tensor;

/** c = a − b with broadcasting. dc/da = 1, dc/db = −1. */
public final class SubFn extends DifferentiableFunction {
    @Override
    protected Tensor forward(Tensor... in) {
        return in[0].sub(in[1]);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {g, needsGrad(1) ? g.neg() : null};
    }
}
