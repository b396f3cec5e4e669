package dev.ranker4j.autograd.ops;

import dev.ranker4j.autograd.Function;
import dev.ranker4j.kernels.UnaryOp;
import dev.ranker4j.tensor.Tensor;

/** y = max(x, 0). dy/dx = 1 where x &gt; 0, else 0 (0 at the kink, as PyTorch). */
public final class Relu extends Function {
    @Override
    protected Tensor forward(Tensor... in) {
        save(in[0]);
        return in[0].relu();
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {saved(0).unaryBackward(UnaryOp.RELU, 0, g)};
    }
}
