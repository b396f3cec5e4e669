package dev.ranker4j.autograd.ops;

import dev.ranker4j.autograd.DifferentiableFunction;
import dev.ranker4j.kernels.UnaryOp;
import dev.ranker4j.tensor.Gradients;
import dev.ranker4j.tensor.Tensor;

/** y = σ(x) = 1 / (1 + e⁻ˣ). dy/dx = σ(x)(1 − σ(x)), evaluated from x in one pass with the multiply by g. */
public final class SigmoidFn extends DifferentiableFunction {
    @Override
    protected Tensor forward(Tensor... in) {
        save(in[0]);
        return in[0].sigmoid();
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {Gradients.unary(UnaryOp.SIGMOID, 0, saved(0), g)};
    }
}
