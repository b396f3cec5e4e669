package dev.ranker4j.kernels.cpu;

import static dev.ranker4j.kernels.cpu.VectorMath.D;
import static dev.ranker4j.kernels.cpu.VectorMath.F;

import dev.ranker4j.kernels.BinaryOp;
import jdk.incubator.vector.DoubleVector;
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
 * <p>Bandwidth: forward reads x three times (mean, variance, normalise; the row stays in L1 for n ≤ a few
 * thousand) and writes y once; backward reads x and dy twice and writes dx: both memory-bound at BERT sizes.
 */
final class LayerNormKernels {
    private LayerNormKernels() {}

    static void layerNormRows(WorkSplit split, float[] x, int xOff, float[] gamma, float[] beta, float eps,
                              int rows, int n, float[] out, int outOff, float[] mean, float[] rstd) {
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

    static void layerNormRows(WorkSplit split, double[] x, int xOff, double[] gamma, double[] beta, double eps,
                              int rows, int n, double[] out, int outOff, double[] mean, double[] rstd) {
        split.forRows(rows, 3L * n, (from, to) -> {
            for (int r = from; r < to; r++) {
                int xi = xOff + r * n, oi = outOff + r * n;
                double mu = ReduceKernels.sum(x, xi, n) / n;
                DoubleVector acc = DoubleVector.zero(D);
                int j = 0;
                for (int bound = D.loopBound(n); j < bound; j += D.length()) {
                    DoubleVector d = DoubleVector.fromArray(D, x, xi + j).sub(mu);
                    acc = d.fma(d, acc);
                }
                double squares = LaneSums.sum(acc);
                for (; j < n; j++) squares += (x[xi + j] - mu) * (x[xi + j] - mu);
                double inverseStd = 1.0 / Math.sqrt(squares / n + eps);
                j = 0;
                for (int bound = D.loopBound(n); j < bound; j += D.length()) {
                    DoubleVector y = DoubleVector.fromArray(D, x, xi + j).sub(mu).mul(inverseStd);
                    if (gamma != null) y = y.mul(DoubleVector.fromArray(D, gamma, j));
                    if (beta != null) y = y.add(DoubleVector.fromArray(D, beta, j));
                    y.intoArray(out, oi + j);
                }
                for (; j < n; j++) {
                    double y = (x[xi + j] - mu) * inverseStd;
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

    static void layerNormBackwardRows(WorkSplit split, float[] x, int xOff, float[] gamma, float[] mean, float[] rstd,
                                      float[] dy, int dyOff, int rows, int n, float[] dx, int dxOff,
                                      float[] dGamma, float[] dBeta) {
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

    static void layerNormBackwardRows(WorkSplit split, double[] x, int xOff, double[] gamma, double[] mean,
                                      double[] rstd, double[] dy, int dyOff, int rows, int n, double[] dx, int dxOff,
                                      double[] dGamma, double[] dBeta) {
        if (rows == 0 || n == 0) return;
        int rowsPerGroup = split.rowsPerGrain(3L * n), groups = (rows + rowsPerGroup - 1) / rowsPerGroup;
        double[] gammaPartials = dGamma == null ? null : new double[groups * n];
        double[] betaPartials = dBeta == null ? null : new double[groups * n];
        split.parallel().forRange(groups, 1, (fromGroup, toGroup) -> {
            double[] xHat = new double[n];
            for (int group = fromGroup; group < toGroup; group++) {
                int partial = group * n;
                for (int r = group * rowsPerGroup, end = Math.min(rows, r + rowsPerGroup); r < end; r++) {
                    int xi = xOff + r * n, di = dyOff + r * n, oi = dxOff + r * n;
                    double mu = mean[r], inverseStd = rstd[r];
                    DoubleVector gSum = DoubleVector.zero(D), gxSum = DoubleVector.zero(D);
                    int j = 0;
                    for (int bound = D.loopBound(n); j < bound; j += D.length()) {
                        DoubleVector h = DoubleVector.fromArray(D, x, xi + j).sub(mu).mul(inverseStd);
                        h.intoArray(xHat, j);
                        DoubleVector d = DoubleVector.fromArray(D, dy, di + j);
                        DoubleVector g = gamma == null ? d : d.mul(DoubleVector.fromArray(D, gamma, j));
                        gSum = gSum.add(g);
                        gxSum = g.fma(h, gxSum);
                        if (gammaPartials != null) d.fma(h, DoubleVector.fromArray(D, gammaPartials, partial + j)).intoArray(gammaPartials, partial + j);
                        if (betaPartials != null) d.add(DoubleVector.fromArray(D, betaPartials, partial + j)).intoArray(betaPartials, partial + j);
                    }
                    double gMean = LaneSums.sum(gSum), gxMean = LaneSums.sum(gxSum);
                    for (; j < n; j++) {
                        double h = (x[xi + j] - mu) * inverseStd, d = dy[di + j];
                        xHat[j] = h;
                        double g = gamma == null ? d : d * gamma[j];
                        gMean += g;
                        gxMean += g * h;
                        if (gammaPartials != null) gammaPartials[partial + j] += d * h;
                        if (betaPartials != null) betaPartials[partial + j] += d;
                    }
                    gMean /= n;
                    gxMean /= n;
                    j = 0;
                    for (int bound = D.loopBound(n); j < bound; j += D.length()) {
                        DoubleVector d = DoubleVector.fromArray(D, dy, di + j);
                        DoubleVector g = gamma == null ? d : d.mul(DoubleVector.fromArray(D, gamma, j));
                        DoubleVector h = DoubleVector.fromArray(D, xHat, j);
                        g.sub(gMean).sub(h.mul(gxMean)).mul(inverseStd).intoArray(dx, oi + j);
                    }
                    for (; j < n; j++) {
                        double g = gamma == null ? dy[di + j] : dy[di + j] * gamma[j];
                        dx[oi + j] = inverseStd * (g - gMean - xHat[j] * gxMean);
                    }
                }
            }
        });
        addGroups(gammaPartials, groups, n, dGamma);
        addGroups(betaPartials, groups, n, dBeta);
    }

    /** target[j] += Σ_group partials[group·n + j], groups in order (the deterministic reduction). */
    private static void addGroups(float[] partials, int groups, int n, float[] target) {
        if (partials == null) return;
        for (int group = 1; group < groups; group++) {
            BinaryKernels.row(BinaryOp.ADD, partials, 0, 1, partials, group * n, 1, partials, 0, n);
        }
        BinaryKernels.row(BinaryOp.ADD, target, 0, 1, partials, 0, 1, target, 0, n);
    }

    private static void addGroups(double[] partials, int groups, int n, double[] target) {
        if (partials == null) return;
        for (int group = 1; group < groups; group++) {
            BinaryKernels.row(BinaryOp.ADD, partials, 0, 1, partials, group * n, 1, partials, 0, n);
        }
        BinaryKernels.row(BinaryOp.ADD, target, 0, 1, partials, 0, 1, target, 0, n);
    }
}
