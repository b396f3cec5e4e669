package dev.ranker4j.autograd.ops;

import dev.ranker4j.autograd.DifferentiableFunction;
import dev.ranker4j.tensor.Tensor;

/** c = min(a, b) elementwise with broadcasting. The gradient goes to the smaller input (to a on ties). */
public final class MinimumFn extends DifferentiableFunction {
    @Override
    protected Tensor forward(Tensor... in) {
        save(in[0], in[1]);
        return in[0].min(in[1]);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor aWins = saved(0).le(saved(1)); // 1 where a ≤ b, else 0
        Tensor toA = g.mul(aWins);
        return new Tensor[] {toA, needsGrad(1) ? g.sub(toA) : null};
    }
}
