package dev.ranker4j.autograd.ops;

import dev.ranker4j.autograd.Function;
import dev.ranker4j.tensor.Tensor;

/**
 * y = log Σ exp x over {@code axes}, computed stably (shifted by the maximum).
 * dy/dx = exp(x − y) = softmax(x) over the reduced axes.
 */
public final class LogSumExp extends Function {
    private final int[] requestedAxes;
    private final boolean keepdim;
    private int[] axes;

    public LogSumExp(int[] axes, boolean keepdim) {
        this.requestedAxes = axes.clone();
        this.keepdim = keepdim;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        axes = Axes.normalize(name(), requestedAxes, in[0].rank());
        Tensor kept = in[0].logSumExp(axes, true);
        save(in[0], kept);
        return keepdim ? kept : kept.reshape(Axes.droppedShape(kept.shape(), axes));
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor x = saved(0), lse = saved(1);
        Tensor softmax = x.sub(lse).exp();
        return new Tensor[] {softmax.mul(g.reshape(lse.shape()))};
    }
}
