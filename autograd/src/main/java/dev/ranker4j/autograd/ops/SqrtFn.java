package dev.ranker4j.autograd.ops;

import dev.ranker4j.autograd.DifferentiableFunction;
import dev.ranker4j.tensor.Tensor;

/** y = √x (x &gt; 0). dy/dx = 1 / (2√x) = 0.5 / y. */
public final class SqrtFn extends DifferentiableFunction {
    @Override
    protected Tensor forward(Tensor... in) {
        Tensor y = in[0].sqrt();
        save(y);
        return y;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {g.mul(0.5).div(saved(0))};
    }
}
