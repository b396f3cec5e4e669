package dev.ranker4j.autograd.ops;

import dev.ranker4j.autograd.DifferentiableFunction;
import dev.ranker4j.tensor.Tensor;

/** y = eˣ. dy/dx = eˣ = y, so the output is what backward keeps. */
public final class ExpFn extends DifferentiableFunction {
    @Override
    protected Tensor forward(Tensor... in) {
        Tensor y = in[0].exp();
        save(y);
        return y;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {g.mul(saved(0))};
    }
}
