package dev.ranker4j.autograd.ops;

import dev.ranker4j.autograd.DifferentiableFunction;
import dev.ranker4j.tensor.Tensor;

/** c = a ⊙ b with broadcasting. dc/da = b, dc/db = a. */
public final class MulFn extends DifferentiableFunction {
    @Override
    protected Tensor forward(Tensor... in) {
        save(in[0], in[1]);
        return in[0].mul(in[1]);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor a = saved(0), b = saved(1);
        return new Tensor[] {needsGrad(0) ? g.mul(b) : null, needsGrad(1) ? g.mul(a) : null};
    }
}
