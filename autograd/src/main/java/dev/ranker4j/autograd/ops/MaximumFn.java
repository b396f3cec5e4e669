package dev.ranker4j.autograd.ops;

import dev.ranker4j.autograd.DifferentiableFunction;
import dev.ranker4j.tensor.Tensor;

/**
 * c = max(a, b) elementwise with broadcasting. The gradient goes to the larger input (to a on ties, so that the two
 * shares always add up to g; max is not differentiable at a tie).
 */
public final class MaximumFn extends DifferentiableFunction {
    @Override
    protected Tensor forward(Tensor... in) {
        save(in[0], in[1]);
        return in[0].max(in[1]);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor aWins = saved(0).ge(saved(1)); // 1 where a ≥ b, else 0
        Tensor toA = g.mul(aWins);
        return new Tensor[] {toA, needsGrad(1) ? g.sub(toA) : null};
    }
}
