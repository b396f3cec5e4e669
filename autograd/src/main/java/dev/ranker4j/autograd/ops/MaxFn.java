package dev.ranker4j.autograd.ops;

import dev.ranker4j.tensor.Tensor;

/**
 * y = max x over {@code axes}. The gradient flows to the element(s) that attain the maximum; with ties each tied
 * element receives g / (number of ties), as PyTorch's {@code amax}, so the shares add up to g.
 */
public final class MaxFn extends Reduction {

    public MaxFn(int[] axes, boolean keepDim) {
        super(axes, keepDim);
    }

    @Override
    protected Tensor forward(Tensor... in) {
        resolveAxes(in[0]);
        Tensor kept = in[0].max(axes, true);
        save(in[0], kept);
        return withKeepDim(kept);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        int[] keptShape = keptShape();
        Tensor isMax = saved(0).eq(saved(1));                     // 1 at the maxima, [input shape]
        Tensor ties = isMax.sum(axes, true);                      // how many maxima share each output, [kept shape]
        return new Tensor[] {isMax.mul(g.reshape(keptShape).div(ties))};
    }
}
