package dev.ranker4j.tensor;

import dev.ranker4j.kernels.ArrayRef;
import dev.ranker4j.kernels.Backend;
import dev.ranker4j.kernels.Backends;
import dev.ranker4j.kernels.LayerNormGrads;
import dev.ranker4j.kernels.LayerNormStats;

import java.util.Arrays;

/**
 * Layer norm over the last axis (Ba et al. 2016), as in BERT, at the tensor level:
 * y = (x − μ) · rstd · γ + β with μ the row mean, rstd = 1/√(σ² + ε) and σ² the biased row variance.
 * Each direction checks shapes, lays x out as contiguous [rows, n] and makes one {@link Backend} call; the loops
 * that run are in {@code kernels/cpu/LayerNormKernels} (the scalar reference and the SIMD version side by side),
 * reached through {@link Backend#layerNormRows} / {@link Backend#layerNormBackwardRows}, which both the CPU and the
 * reference backend implement with one call into that file. The backward reuses the saved μ and rstd.
 *
 * <p>Public so that the autograd op ({@code ops.LayerNormFn}) calls it directly: op → this → the loops.
 * {@link Tensor#layerNorm} and {@link Gradients#layerNorm} are the same calls.
 */
public final class TensorLayerNorm {
    private TensorLayerNorm() {}

    /** The forward: output, and the per-row mean and rstd the backward reuses. */
    public static LayerNormResult forward(Tensor x, Tensor gamma, Tensor beta, double eps) {
        Elementwise.requireComputable("layerNorm", x);
        int n = lastAxis("layerNorm", x);
        checkParameter("layerNorm", "gamma", gamma, x, n);
        checkParameter("layerNorm", "beta", beta, x, n);
        Tensor rows = x.contiguous();
        int rowCount = n == 0 ? 0 : rows.numel() / n;
        int[] rowShape = Arrays.copyOf(x.shape, x.rank() - 1);
        Tensor out = Tensor.output(x.dtype, x.shape);
        Tensor mean = Tensor.output(x.dtype, rowShape), rstd = Tensor.output(x.dtype, rowShape);
        Backend backend = Backends.current();
        backend.layerNormRows(rows.ref(), atZero(gamma), atZero(beta), eps, rowCount, n, out.ref(),
                new LayerNormStats(mean.ref(), rstd.ref()));
        return new LayerNormResult(out, mean, rstd);
    }

    /** The backward: dx, dGamma, dBeta given x, gamma, the forward's saved statistics and dy = ∂L/∂output. */
    public static LayerNormGradients backward(Tensor x, Tensor gamma, LayerNormResult saved, Tensor dy) {
        Elementwise.requireSameComputable("layerNormBackward", x, dy);
        int n = lastAxis("layerNormBackward", x);
        checkParameter("layerNormBackward", "gamma", gamma, x, n);
        if (!Arrays.equals(x.shape, dy.shape)) {
            throw new IllegalArgumentException("layerNormBackward: input shape " + Shape.format(x.shape)
                    + " and gradient shape " + Shape.format(dy.shape) + " differ");
        }
        int[] rowShape = Arrays.copyOf(x.shape, x.rank() - 1);
        if (!Arrays.equals(saved.mean().shape, rowShape) || !Arrays.equals(saved.rstd().shape, rowShape)) {
            throw new IllegalArgumentException("layerNormBackward: saved mean/rstd have shapes "
                    + Shape.format(saved.mean().shape) + "/" + Shape.format(saved.rstd().shape) + ", expected "
                    + Shape.format(rowShape) + " for input " + Shape.format(x.shape));
        }
        Tensor xRows = x.contiguous(), dyRows = dy.contiguous();
        int rowCount = n == 0 ? 0 : xRows.numel() / n;
        Tensor dx = Tensor.output(x.dtype, x.shape);
        Tensor dGamma = Tensor.zeros(x.dtype, n), dBeta = Tensor.zeros(x.dtype, n);
        Backend backend = Backends.current();
        backend.layerNormBackwardRows(xRows.ref(), atZero(gamma), new LayerNormStats(atZero(saved.mean()),
                atZero(saved.rstd())), dyRows.ref(), rowCount, n, new LayerNormGrads(dx.ref(), dGamma.ref(), dBeta.ref()));
        return new LayerNormGradients(dx, dGamma, dBeta);
    }

    private static int lastAxis(String op, Tensor x) {
        if (x.rank() == 0) throw new IllegalArgumentException(op + ": input must have at least one axis, got shape []");
        return x.size(-1);
    }

    private static void checkParameter(String op, String name, Tensor parameter, Tensor x, int n) {
        if (parameter == null) return;
        Elementwise.requireSameComputable(op, x, parameter);
        if (parameter.rank() != 1 || parameter.size(0) != n) {
            throw new IllegalArgumentException(op + ": " + name + " has shape " + Shape.format(parameter.shape)
                    + ", expected [" + n + "] for input " + Shape.format(x.shape));
        }
    }

    /** The kernel reads per-feature vectors from index 0: hand over the array itself when that fits, else a copy. */
    static ArrayRef atZero(Tensor t) {
        if (t == null) return null;
        return t.isContiguous() && t.offset == 0 ? t.ref() : t.copy().ref();
    }
}
