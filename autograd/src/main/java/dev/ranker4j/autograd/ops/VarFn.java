package dev.ranker4j.autograd.ops;

import dev.ranker4j.tensor.Tensor;

/**
 * y = Σ (x − mean)² / (n − correction) over {@code axes}: correction 0 is the biased (population) variance layer norm
 * uses, 1 the unbiased sample variance. The value is {@link Tensor#var} itself (one definition of variance).
 * dy/dx = 2 (x − mean) / (n − correction); the mean's own dependence on x cancels because Σ (x − mean) = 0.
 */
public final class VarFn extends Reduction {
    private final int correction;
    private double denominator;

    public VarFn(int[] axes, int correction, boolean keepDim) {
        super(axes, keepDim);
        this.correction = correction;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        resolveAxes(in[0]);
        denominator = count(inputShape, axes) - correction;
        if (denominator <= 0) {
            throw new IllegalArgumentException(name() + ": " + count(inputShape, axes) + " elements per output is too few for correction " + correction);
        }
        save(in[0]);
        return in[0].var(axes, correction, keepDim);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor x = saved(0);
        Tensor centered = x.sub(x.mean(axes, true));
        return new Tensor[] {centered.mul(g.reshape(keptShape())).mul(2.0 / denominator)};
    }
}
