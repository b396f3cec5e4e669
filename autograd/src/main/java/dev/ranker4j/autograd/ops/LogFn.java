package dev.ranker4j.autograd.ops;

import dev.ranker4j.autograd.DifferentiableFunction;
import dev.ranker4j.tensor.Tensor;

/** y = ln x (x &gt; 0). dy/dx = 1/x. */
public final class LogFn extends DifferentiableFunction {
    @Override
    protected Tensor forward(Tensor... in) {
        save(in[0]);
        return in[0].log();
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {g.div(saved(0))};
    }
}
