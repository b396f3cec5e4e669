package dev.ranker4j.autograd.ops;

import dev.ranker4j.tensor.Tensor;

/**
 * y = log Σ exp x over {@code axes}, computed stably (shifted by the maximum).
 * dy/dx = exp(x − y) = softmax(x) over the reduced axes.
 */
public final class LogSumExpFn extends Reduction {

    public LogSumExpFn(int[] axes, boolean keepDim) {
        super(axes, keepDim);
    }

    @Override
    protected Tensor forward(Tensor... in) {
        resolveAxes(in[0]);
        Tensor kept = in[0].logSumExp(axes, true);
        save(in[0], kept);
        return withKeepDim(kept);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor x = saved(0), lse = saved(1);
        Tensor softmax = x.sub(lse).exp();
        return new Tensor[] {softmax.mul(g.reshape(lse.shape()))};
    }
}
