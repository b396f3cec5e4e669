package dev.ranker4j.autograd.ops;

import dev.ranker4j.tensor.Tensor;

/**
 * y = Σ (x − mean)² / (n − correction) over {@code axes}: correction 0 is the biased (population) variance layer norm
 * uses, 1 the unbiased sample variance. dy/dx = 2 (x − mean) / (n − correction); the mean's own dependence on x
 * cancels because Σ (x − mean) = 0.
 */
public final class Var extends Reduction {
    private final int correction;
    private double denominator;

    public Var(int[] axes, boolean keepdim, int correction) {
        super(axes, keepdim);
        this.correction = correction;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        resolveAxes(in[0]);
        denominator = count(inputShape, axes) - correction;
        if (denominator <= 0) {
            throw new IllegalArgumentException(name() + ": " + count(inputShape, axes) + " elements per output is too few for correction " + correction);
        }
        Tensor centered = in[0].sub(in[0].mean(axes, true));
        save(centered);
        Tensor kept = centered.mul(centered).sum(axes, true).mul(1.0 / denominator);
        return withKeepdim(kept);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor centered = saved(0);
        return new Tensor[] {centered.mul(g.reshape(keptShape())).mul(2.0 / denominator)};
    }
}
