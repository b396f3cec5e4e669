package dev.ranker4j.autograd.ops;

import dev.ranker4j.autograd.Function;
import dev.ranker4j.kernels.UnaryOp;
import dev.ranker4j.tensor.Tensor;

/** y = σ(x) = 1 / (1 + e⁻ˣ). dy/dx = σ(x)(1 − σ(x)), evaluated from x in one pass with the multiply by g. */
public final class Sigmoid extends Function {
    @Override
    protected Tensor forward(Tensor... in) {
        save(in[0]);
        return in[0].sigmoid();
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {saved(0).unaryBackward(UnaryOp.SIGMOID, 0, g)};
    }
}
