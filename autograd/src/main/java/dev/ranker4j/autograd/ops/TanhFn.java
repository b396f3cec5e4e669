package dev.ranker4j.autograd.ops;

import dev.ranker4j.autograd.DifferentiableFunction;
import dev.ranker4j.kernels.UnaryOp;
import dev.ranker4j.tensor.Gradients;
import dev.ranker4j.tensor.Tensor;

/** y = tanh x. dy/dx = 1 − tanh²x, evaluated from x in one pass with the multiply by the incoming gradient. */
public final class TanhFn extends DifferentiableFunction {
    @Override
    protected Tensor forward(Tensor... in) {
        save(in[0]);
        return in[0].tanh();
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {Gradients.unary(UnaryOp.TANH, 0, saved(0), g)};
    }
}
