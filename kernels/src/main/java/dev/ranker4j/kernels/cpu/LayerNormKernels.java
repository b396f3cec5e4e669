package dev.ranker4j.kernels.cpu;

import static dev.ranker4j.kernels.cpu.VectorMath.F;

import dev.ranker4j.kernels.ArrayRef;
import dev.ranker4j.kernels.BinaryOp;
import dev.ranker4j.kernels.LayerNormGrads;
import dev.ranker4j.kernels.LayerNormStats;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Layer norm over rows and its backward (Ba et al. 2016): y = (x − μ)·rstd·γ + β, rstd = 1/√(σ² + ε), σ² the
 * biased variance. Two-pass statistics (mean, then Σ(x − μ)²) as the reference, not the one-pass E[x²] − μ²,
 * which cancels badly when |μ| ≫ σ.
 *
 * <p>Backward, with x̂ = (x − μ)·rstd and g = dy ⊙ γ: dx = rstd·(g − mean(g) − x̂·mean(g ⊙ x̂)), dγ += Σ_rows dy ⊙ x̂,
 * dβ += Σ_rows dy. The parameter gradients are sums over rows, so rows are cut into fixed groups (their size
 * depends only on n and the grain), each group sums into its own buffer, and the buffers are added in group order:
 * the same additions in the same order however many threads ran them, so dγ and dβ are bitwise reproducible.
 *
 * <p>This file holds the whole of layer norm's compute: the reference loops ({@link #reference},
 * {@link #referenceBackward}: plain, single-threaded, in double; the reference backend runs them, and F64 everywhere)
 * and, beside them, the SIMD + multithreaded float loops the CPU backend runs ({@code layerNormRows},
 * {@code layerNormBackwardRows}), which the kernel properties compare with the reference.
 *
 * <p>Bandwidth: forward reads x three times (mean, variance, normalise; the row stays in L1 for n ≤ a few
 * thousand) and writes y once; backward reads x and dy twice and writes dx: both memory-bound at BERT sizes.
 */
public final class LayerNormKernels {
    private LayerNormKernels() {}

    // -------------------------------------------------------------------------------- reference (scalar, double)

    /**
     * The reference forward: the plainest loops, in double (an F32 operand widened, eps rounded to float as the float
     * kernel receives it, the results rounded back). {@link dev.ranker4j.kernels.ReferenceBackend} runs it.
     */
    public static void reference(ArrayRef x, ArrayRef gamma, ArrayRef beta, double eps, int rows, int n, ArrayRef out,
                                 LayerNormStats stats) {
        double epsilon = x.isF32() ? (float) eps : eps;
        double[] x64 = wideOrNull(x), gamma64 = wideOrNull(gamma), beta64 = wideOrNull(beta);
        double[] out64 = out.outputDoubles(false);
        int xOff = x.offset(), outOff = out.offset();
        for (int r = 0; r < rows; r++) {
            int row = xOff + r * n;
            double mu = sum(x64, row, n) / n;
            double variance = 0;
            for (int j = 0; j < n; j++) variance += (x64[row + j] - mu) * (x64[row + j] - mu);
            variance /= n;
            double inverseStd = 1.0 / Math.sqrt(variance + epsilon);
            for (int j = 0; j < n; j++) {
                double normalized = (x64[row + j] - mu) * inverseStd;
                out64[outOff + r * n + j] = normalized * (gamma == null ? 1 : gamma64[j]) + (beta == null ? 0 : beta64[j]);
            }
            stats.mean().set(r, mu);
            stats.rstd().set(r, inverseStd);
        }
        out.storeDoubles(out64, outOff, rows * n);
    }

    /** The reference backward: the formulas of the class comment as plain loops, in double. */
    public static void referenceBackward(ArrayRef x, ArrayRef gamma, LayerNormStats stats, ArrayRef dy, int rows, int n,
                                         LayerNormGrads grads) {
        double[] x64 = wideOrNull(x), gamma64 = wideOrNull(gamma);
        double[] mean = wideOrNull(stats.mean()), rstd = wideOrNull(stats.rstd());
        double[] dy64 = wideOrNull(dy), dx64 = grads.dx().outputDoubles(false);
        double[] dGamma = grads.dGamma() == null ? null : grads.dGamma().outputDoubles(true);
        double[] dBeta = grads.dBeta() == null ? null : grads.dBeta().outputDoubles(true);
        int xOff = x.offset(), dyOff = dy.offset(), dxOff = grads.dx().offset();
        for (int r = 0; r < rows; r++) {
            int xRow = xOff + r * n, dyRow = dyOff + r * n;
            // With x̂ = (x - μ)·rstd and g = dy ⊙ γ: dx = rstd · (g - mean(g) - x̂ · mean(g ⊙ x̂)).
            double gMean = 0, gxMean = 0;
            for (int j = 0; j < n; j++) {
                double xHat = (x64[xRow + j] - mean[r]) * rstd[r];
                double g = dy64[dyRow + j] * (gamma == null ? 1 : gamma64[j]);
                gMean += g;
                gxMean += g * xHat;
                if (dGamma != null) dGamma[j] += dy64[dyRow + j] * xHat;
                if (dBeta != null) dBeta[j] += dy64[dyRow + j];
            }
            gMean /= n;
            gxMean /= n;
            for (int j = 0; j < n; j++) {
                double xHat = (x64[xRow + j] - mean[r]) * rstd[r];
                double g = dy64[dyRow + j] * (gamma == null ? 1 : gamma64[j]);
                dx64[dxOff + r * n + j] = rstd[r] * (g - gMean - xHat * gxMean);
            }
        }
        grads.dx().storeDoubles(dx64, dxOff, rows * n);
        if (dGamma != null) grads.dGamma().storeDoubles(dGamma, 0, n);
        if (dBeta != null) grads.dBeta().storeDoubles(dBeta, 0, n);
    }

    // ------------------------------------------------------------------------------ fast (SIMD + threads, float)

    static void layerNormRows(WorkSplit split, ArrayRef xRef, ArrayRef gammaRef, ArrayRef betaRef, float eps, int rows,
                              int n, ArrayRef outRef, LayerNormStats stats) {
        float[] x = xRef.floats(), gamma = floatsOrNull(gammaRef), beta = floatsOrNull(betaRef), out = outRef.floats();
        float[] mean = stats.mean().floats(), rstd = stats.rstd().floats();
        int xOff = xRef.offset(), outOff = outRef.offset();
        split.forRows(rows, 3L * n, (from, to) -> {
            for (int r = from; r < to; r++) {
                int xi = xOff + r * n, oi = outOff + r * n;
                float mu = ReduceKernels.sum(x, xi, n) / n;
                FloatVector acc = FloatVector.zero(F);
                int j = 0;
                for (int bound = F.loopBound(n); j < bound; j += F.length()) {
                    FloatVector d = FloatVector.fromArray(F, x, xi + j).sub(mu);
                    acc = d.fma(d, acc);
                }
                float squares = LaneSums.sum(acc);
                for (; j < n; j++) squares += (x[xi + j] - mu) * (x[xi + j] - mu);
                float inverseStd = (float) (1.0 / Math.sqrt(squares / n + (double) eps));
                j = 0;
                for (int bound = F.loopBound(n); j < bound; j += F.length()) {
                    FloatVector y = FloatVector.fromArray(F, x, xi + j).sub(mu).mul(inverseStd);
                    if (gamma != null) y = y.mul(FloatVector.fromArray(F, gamma, j));
                    if (beta != null) y = y.add(FloatVector.fromArray(F, beta, j));
                    y.intoArray(out, oi + j);
                }
                for (; j < n; j++) {
                    float y = (x[xi + j] - mu) * inverseStd;
                    if (gamma != null) y *= gamma[j];
                    if (beta != null) y += beta[j];
                    out[oi + j] = y;
                }
                mean[r] = mu;
                rstd[r] = inverseStd;
            }
        });
    }

    // ---------------------------------------------------------------------------------------------- backward

    static void layerNormBackwardRows(WorkSplit split, ArrayRef xRef, ArrayRef gammaRef, LayerNormStats stats,
                                      ArrayRef dyRef, int rows, int n, LayerNormGrads grads) {
        float[] x = xRef.floats(), gamma = floatsOrNull(gammaRef), mean = stats.mean().floats();
        float[] rstd = stats.rstd().floats(), dy = dyRef.floats(), dx = grads.dx().floats();
        float[] dGamma = floatsOrNull(grads.dGamma()), dBeta = floatsOrNull(grads.dBeta());
        int xOff = xRef.offset(), dyOff = dyRef.offset(), dxOff = grads.dx().offset();
        if (rows == 0 || n == 0) return;
        int rowsPerGroup = split.rowsPerGrain(3L * n), groups = (rows + rowsPerGroup - 1) / rowsPerGroup;
        float[] gammaPartials = dGamma == null ? null : new float[groups * n];
        float[] betaPartials = dBeta == null ? null : new float[groups * n];
        split.parallel().forRange(groups, 1, (fromGroup, toGroup) -> {
            float[] xHat = new float[n]; // per-thread scratch
            for (int group = fromGroup; group < toGroup; group++) {
                int partial = group * n;
                for (int r = group * rowsPerGroup, end = Math.min(rows, r + rowsPerGroup); r < end; r++) {
                    int xi = xOff + r * n, di = dyOff + r * n, oi = dxOff + r * n;
                    float mu = mean[r], inverseStd = rstd[r];
                    // pass 1: x̂, Σ g, Σ g·x̂ and the parameter partials
                    FloatVector gSum = FloatVector.zero(F), gxSum = FloatVector.zero(F);
                    int j = 0;
                    for (int bound = F.loopBound(n); j < bound; j += F.length()) {
                        FloatVector h = FloatVector.fromArray(F, x, xi + j).sub(mu).mul(inverseStd);
                        h.intoArray(xHat, j);
                        FloatVector d = FloatVector.fromArray(F, dy, di + j);
                        FloatVector g = gamma == null ? d : d.mul(FloatVector.fromArray(F, gamma, j));
                        gSum = gSum.add(g);
                        gxSum = g.fma(h, gxSum);
                        if (gammaPartials != null) d.fma(h, FloatVector.fromArray(F, gammaPartials, partial + j)).intoArray(gammaPartials, partial + j);
                        if (betaPartials != null) d.add(FloatVector.fromArray(F, betaPartials, partial + j)).intoArray(betaPartials, partial + j);
                    }
                    float gMean = LaneSums.sum(gSum), gxMean = LaneSums.sum(gxSum);
                    for (; j < n; j++) {
                        float h = (x[xi + j] - mu) * inverseStd, d = dy[di + j];
                        xHat[j] = h;
                        float g = gamma == null ? d : d * gamma[j];
                        gMean += g;
                        gxMean += g * h;
                        if (gammaPartials != null) gammaPartials[partial + j] += d * h;
                        if (betaPartials != null) betaPartials[partial + j] += d;
                    }
                    gMean /= n;
                    gxMean /= n;
                    // pass 2: dx = rstd·(g − mean(g) − x̂·mean(g·x̂))
                    j = 0;
                    for (int bound = F.loopBound(n); j < bound; j += F.length()) {
                        FloatVector d = FloatVector.fromArray(F, dy, di + j);
                        FloatVector g = gamma == null ? d : d.mul(FloatVector.fromArray(F, gamma, j));
                        FloatVector h = FloatVector.fromArray(F, xHat, j);
                        g.sub(gMean).sub(h.mul(gxMean)).mul(inverseStd).intoArray(dx, oi + j);
                    }
                    for (; j < n; j++) {
                        float g = gamma == null ? dy[di + j] : dy[di + j] * gamma[j];
                        dx[oi + j] = inverseStd * (g - gMean - xHat[j] * gxMean);
                    }
                }
            }
        });
        addGroups(gammaPartials, groups, n, dGamma);
        addGroups(betaPartials, groups, n, dBeta);
    }

    // ------------------------------------------------------------------------------------------- helpers

    /** target[j] += Σ_group partials[group·n + j], groups in order (the deterministic reduction). */
    private static void addGroups(float[] partials, int groups, int n, float[] target) {
        if (partials == null) return;
        for (int group = 1; group < groups; group++) {
            BinaryKernels.row(BinaryOp.ADD, partials, 0, 1, partials, group * n, 1, partials, 0, n);
        }
        BinaryKernels.row(BinaryOp.ADD, target, 0, 1, partials, 0, 1, target, 0, n);
    }

    private static double sum(double[] x, int start, int n) {
        double sum = 0;
        for (int j = 0; j < n; j++) sum += x[start + j];
        return sum;
    }

    private static float[] floatsOrNull(ArrayRef ref) {
        return ref == null ? null : ref.floats();
    }

    private static double[] wideOrNull(ArrayRef ref) {
        return ref == null ? null : ref.toDoubles();
    }


}
