package dev.ranker4j.autograd.ops;

import dev.ranker4j.autograd.DifferentiableFunction;
import dev.ranker4j.tensor.Tensor;

/** c = a / b with broadcasting. dc/da = 1/b, dc/db = −a/b² = −c/b. */
public final class DivFn extends DifferentiableFunction {
    @Override
    protected Tensor forward(Tensor... in) {
        Tensor c = in[0].div(in[1]);
        save(in[1], c);
        return c;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor b = saved(0), c = saved(1);
        Tensor gOverB = g.div(b);
        return new Tensor[] {gOverB, needsGrad(1) ? gOverB.mul(c).neg() : null};
    }
}
