package dev.ranker4j.autograd.ops;

import dev.ranker4j.autograd.DifferentiableFunction;
import dev.ranker4j.kernels.UnaryOp;
import dev.ranker4j.tensor.Gradients;
import dev.ranker4j.tensor.Tensor;

/** y = max(x, 0). dy/dx = 1 where x &gt; 0, else 0 (0 at the kink, as PyTorch). */
public final class ReluFn extends DifferentiableFunction {
    @Override
    protected Tensor forward(Tensor... in) {
        save(in[0]);
        return in[0].relu();
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {Gradients.unary(UnaryOp.RELU, 0, saved(0), g)};
    }
}
