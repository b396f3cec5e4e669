package dev.ranker4j.autograd.ops;

import dev.ranker4j.autograd.DifferentiableFunction;
import dev.ranker4j.tensor.LayerNormGradients;
import dev.ranker4j.tensor.LayerNormResult;
import dev.ranker4j.tensor.Tensor;
import dev.ranker4j.tensor.TensorLayerNorm;

/**
 * Layer normalisation over the last axis (Ba et al. 2016), inputs (x [..., n], gamma [n], beta [n]):
 * <pre>
 *   x̂ = (x − μ) · rstd,   rstd = 1/√(σ² + eps)  (biased variance σ²)
 *   y = x̂ ⊙ gamma + beta
 *   dbeta = Σ_rows g,   dgamma = Σ_rows g ⊙ x̂
 *   dx = rstd · (ĝ − mean(ĝ) − x̂ · mean(ĝ ⊙ x̂)),   ĝ = g ⊙ gamma
 * </pre>
 * Fused: the forward keeps μ and rstd per row, and one kernel computes all three gradients (checked in the test
 * suite against layer norm composed from mean, var, sqrt and div).
 *
 * <p>From here to the loop that runs: {@link TensorLayerNorm} (shapes, one Backend call), then
 * {@code kernels/cpu/LayerNormKernels}, which holds the reference loops and the SIMD loops side by side.
 */
public final class LayerNormFn extends DifferentiableFunction {
    private final double eps;

    public LayerNormFn(double eps) {
        this.eps = eps;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        Tensor x = in[0], gamma = in[1], beta = in[2];
        LayerNormResult result = TensorLayerNorm.forward(x, gamma, beta, eps);
        save(x, gamma, result.mean(), result.rstd());
        return result.output();
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        LayerNormResult statistics = new LayerNormResult(null, saved(2), saved(3)); // backward reads mean and rstd only
        LayerNormGradients grads = TensorLayerNorm.backward(saved(0), saved(1), statistics, g);
        return new Tensor[] {grads.dx(), grads.dGamma(), grads.dBeta()};
    }
}
