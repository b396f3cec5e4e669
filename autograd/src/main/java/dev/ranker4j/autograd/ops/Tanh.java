package dev.ranker4j.autograd.ops;

import dev.ranker4j.autograd.Function;
import dev.ranker4j.tensor.Tensor;

/** y = tanh x. dy/dx = 1 − y². */
public final class Tanh extends Function {
    @Override
    protected Tensor forward(Tensor... in) {
        Tensor y = in[0].tanh();
        save(y);
        return y;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor y = saved(0);
        return new Tensor[] {g.mul(y.mul(y).neg().add(1.0))};
    }
}
