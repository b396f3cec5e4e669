package dev.ranker4j.autograd.ops;

import dev.ranker4j.autograd.DifferentiableFunction;
import dev.ranker4j.tensor.Tensor;

/** c = a + b with broadcasting. Shapes: a, b broadcast to c. dc/da = dc/db = 1. */
public final class AddFn extends DifferentiableFunction {
    @Override
    protected Tensor forward(Tensor... in) {
        return in[0].add(in[1]);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {g, g}; // the engine sums each back to its input's shape
    }
}
