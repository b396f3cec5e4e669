package dev.ranker4j.tensor;

import dev.ranker4j.kernels.Backend;
import dev.ranker4j.kernels.Backends;

import java.util.Arrays;

/**
 * Layer norm over the last axis (Ba et al. 2016), as in BERT:
 * y = (x − μ) · rstd · γ + β with μ the row mean, rstd = 1/√(σ² + ε) and σ² the biased row variance.
 * Forward and backward are one fused kernel each; the backward reuses the saved μ and rstd.
 */
final class TensorLayerNorm {
    private TensorLayerNorm() {}

    static LayerNormResult forward(Tensor x, Tensor gamma, Tensor beta, double eps) {
        Elementwise.requireComputable("layerNorm", x);
        int n = lastAxis("layerNorm", x);
        checkParameter("layerNorm", "gamma", gamma, x, n);
        checkParameter("layerNorm", "beta", beta, x, n);
        Tensor rows = x.contiguous();
        int rowCount = n == 0 ? 0 : rows.numel() / n;
        int[] rowShape = Arrays.copyOf(x.shape, x.rank() - 1);
        Tensor out = Tensor.zeros(x.dtype, x.shape);
        Tensor mean = Tensor.zeros(x.dtype, rowShape), rstd = Tensor.zeros(x.dtype, rowShape);
        Backend backend = Backends.current();
        if (x.dtype == DType.F32) {
            backend.layerNormRows(rows.storage.kernelFloats(), rows.offset, floatsAtZero(gamma), floatsAtZero(beta),
                    (float) eps, rowCount, n, out.storage.kernelFloats(), 0, mean.storage.kernelFloats(), rstd.storage.kernelFloats());
        } else {
            backend.layerNormRows(rows.storage.kernelDoubles(), rows.offset, doublesAtZero(gamma), doublesAtZero(beta),
                    eps, rowCount, n, out.storage.kernelDoubles(), 0, mean.storage.kernelDoubles(), rstd.storage.kernelDoubles());
        }
        return new LayerNormResult(out, mean, rstd);
    }

    static LayerNormGradients backward(Tensor x, Tensor gamma, LayerNormResult saved, Tensor dy) {
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
        Tensor dx = Tensor.zeros(x.dtype, x.shape);
        Tensor dGamma = Tensor.zeros(x.dtype, n), dBeta = Tensor.zeros(x.dtype, n);
        Backend backend = Backends.current();
        if (x.dtype == DType.F32) {
            backend.layerNormBackwardRows(xRows.storage.kernelFloats(), xRows.offset, floatsAtZero(gamma),
                    floatsAtZero(saved.mean()), floatsAtZero(saved.rstd()), dyRows.storage.kernelFloats(), dyRows.offset,
                    rowCount, n, dx.storage.kernelFloats(), 0, dGamma.storage.kernelFloats(), dBeta.storage.kernelFloats());
        } else {
            backend.layerNormBackwardRows(xRows.storage.kernelDoubles(), xRows.offset, doublesAtZero(gamma),
                    doublesAtZero(saved.mean()), doublesAtZero(saved.rstd()), dyRows.storage.kernelDoubles(), dyRows.offset,
                    rowCount, n, dx.storage.kernelDoubles(), 0, dGamma.storage.kernelDoubles(), dBeta.storage.kernelDoubles());
        }
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

    /** The kernel takes per-feature vectors without an offset: hand over the array itself when that fits. */
    static float[] floatsAtZero(Tensor t) {
        if (t == null) return null;
        return t.isContiguous() && t.offset == 0 ? t.storage.kernelFloats() : t.copy().storage.kernelFloats();
    }

    static double[] doublesAtZero(Tensor t) {
        if (t == null) return null;
        return t.isContiguous() && t.offset == 0 ? t.storage.kernelDoubles() : t.copy().storage.kernelDoubles();
    }
}
