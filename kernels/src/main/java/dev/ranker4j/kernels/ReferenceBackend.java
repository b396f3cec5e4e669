package dev.ranker4j.kernels;

/**
 * The scalar reference: every kernel as the plainest loop that is obviously right, single-threaded.
 *
 * <p>Each computation is written once, in double precision; the float entry points widen their inputs, call it and
 * narrow the result. That makes the reference slightly more accurate than any float kernel, which is what a
 * reference should be. Tests compare every fast kernel against this class on random shapes.
 */
public final class ReferenceBackend implements Backend {

    @Override
    public String name() {
        return "reference";
    }

    @Override
    public int threads() {
        return 1;
    }

    // ---------------------------------------------------------------------------------------------- matrix products

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a, int aOff, int lda,
                     double[] b, int bOff, int ldb, double beta, double[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int p = 0; p < k; p++) {
                    double aip = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                    double bpj = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                    sum += aip * bpj;
                }
                int at = cOff + i * ldc + j;
                c[at] = beta == 0 ? alpha * sum : alpha * sum + beta * c[at];
            }
        }
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                     float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        double[] c64 = widen(c);
        gemm(transA, transB, m, n, k, alpha, widen(a), aOff, lda, widen(b), bOff, ldb, beta, c64, cOff, ldc);
        for (int i = 0; i < m; i++) narrow(c64, cOff + i * ldc, c, cOff + i * ldc, n);
    }

    @Override
    public void batchedGemm(int batch, boolean transA, boolean transB, int m, int n, int k, double alpha,
                            double[] a, int aOff, int strideA, int lda, double[] b, int bOff, int strideB, int ldb,
                            double beta, double[] c, int cOff, int strideC, int ldc) {
        for (int i = 0; i < batch; i++) {
            gemm(transA, transB, m, n, k, alpha, a, aOff + i * strideA, lda, b, bOff + i * strideB, ldb,
                    beta, c, cOff + i * strideC, ldc);
        }
    }

    @Override
    public void batchedGemm(int batch, boolean transA, boolean transB, int m, int n, int k, float alpha,
                            float[] a, int aOff, int strideA, int lda, float[] b, int bOff, int strideB, int ldb,
                            float beta, float[] c, int cOff, int strideC, int ldc) {
        for (int i = 0; i < batch; i++) {
            gemm(transA, transB, m, n, k, alpha, a, aOff + i * strideA, lda, b, bOff + i * strideB, ldb,
                    beta, c, cOff + i * strideC, ldc);
        }
    }

    // ------------------------------------------------------------------------------------------------ elementwise

    @Override
    public void unary(UnaryOp op, double param, double[] x, int xOff, double[] out, int outOff, int n) {
        for (int i = 0; i < n; i++) out[outOff + i] = ScalarMath.apply(op, x[xOff + i], param);
    }

    @Override
    public void unary(UnaryOp op, double param, float[] x, int xOff, float[] out, int outOff, int n) {
        for (int i = 0; i < n; i++) out[outOff + i] = (float) ScalarMath.apply(op, x[xOff + i], param);
    }

    @Override
    public void binary(BinaryOp op, int[] shape, double[] a, int aOff, int[] aStrides, double[] b, int bOff,
                       int[] bStrides, double[] out, int outOff) {
        long size = StridedLoop.size(shape);
        StridedLoop loop = new StridedLoop(shape, new int[]{aOff, bOff}, aStrides, bStrides);
        for (long i = 0; i < size; i++, loop.advance()) {
            out[(int) (outOff + i)] = ScalarMath.apply(op, a[loop.position(0)], b[loop.position(1)]);
        }
    }

    @Override
    public void binary(BinaryOp op, int[] shape, float[] a, int aOff, int[] aStrides, float[] b, int bOff,
                       int[] bStrides, float[] out, int outOff) {
        long size = StridedLoop.size(shape);
        StridedLoop loop = new StridedLoop(shape, new int[]{aOff, bOff}, aStrides, bStrides);
        for (long i = 0; i < size; i++, loop.advance()) {
            out[(int) (outOff + i)] = (float) ScalarMath.apply(op, a[loop.position(0)], b[loop.position(1)]);
        }
    }

    @Override
    public void where(int[] shape, double[] cond, int condOff, int[] condStrides, double[] a, int aOff, int[] aStrides,
                      double[] b, int bOff, int[] bStrides, double[] out, int outOff) {
        long size = StridedLoop.size(shape);
        StridedLoop loop = new StridedLoop(shape, new int[]{condOff, aOff, bOff}, condStrides, aStrides, bStrides);
        for (long i = 0; i < size; i++, loop.advance()) {
            out[(int) (outOff + i)] = cond[loop.position(0)] != 0 ? a[loop.position(1)] : b[loop.position(2)];
        }
    }

    @Override
    public void where(int[] shape, float[] cond, int condOff, int[] condStrides, float[] a, int aOff, int[] aStrides,
                      float[] b, int bOff, int[] bStrides, float[] out, int outOff) {
        long size = StridedLoop.size(shape);
        StridedLoop loop = new StridedLoop(shape, new int[]{condOff, aOff, bOff}, condStrides, aStrides, bStrides);
        for (long i = 0; i < size; i++, loop.advance()) {
            out[(int) (outOff + i)] = cond[loop.position(0)] != 0 ? a[loop.position(1)] : b[loop.position(2)];
        }
    }

    @Override
    public void copy(int[] shape, double[] src, int srcOff, int[] srcStrides, double[] dst, int dstOff) {
        long size = StridedLoop.size(shape);
        StridedLoop loop = new StridedLoop(shape, new int[]{srcOff}, srcStrides);
        for (long i = 0; i < size; i++, loop.advance()) dst[(int) (dstOff + i)] = src[loop.position(0)];
    }

    @Override
    public void copy(int[] shape, float[] src, int srcOff, int[] srcStrides, float[] dst, int dstOff) {
        long size = StridedLoop.size(shape);
        StridedLoop loop = new StridedLoop(shape, new int[]{srcOff}, srcStrides);
        for (long i = 0; i < size; i++, loop.advance()) dst[(int) (dstOff + i)] = src[loop.position(0)];
    }

    // ------------------------------------------------------------------------------------------------- reductions

    @Override
    public void reduceRows(ReduceOp op, double[] x, int xOff, int rows, int n, double[] out, int outOff) {
        for (int r = 0; r < rows; r++) out[outOff + r] = reduceRow(op, x, xOff + r * n, n);
    }

    @Override
    public void reduceRows(ReduceOp op, float[] x, int xOff, int rows, int n, float[] out, int outOff) {
        double[] x64 = widen(x);
        for (int r = 0; r < rows; r++) out[outOff + r] = (float) reduceRow(op, x64, xOff + r * n, n);
    }

    private static double reduceRow(ReduceOp op, double[] x, int start, int n) {
        return switch (op) {
            case SUM -> sum(x, start, n);
            case MEAN -> sum(x, start, n) / n;
            case MAX -> {
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < n; j++) max = Math.max(max, x[start + j]);
                yield max;
            }
            case MIN -> {
                double min = Double.POSITIVE_INFINITY;
                for (int j = 0; j < n; j++) min = Math.min(min, x[start + j]);
                yield min;
            }
            case LOG_SUM_EXP -> {
                double max = reduceRow(ReduceOp.MAX, x, start, n);
                if (max == Double.NEGATIVE_INFINITY) yield max; // every element -inf: the sum of exps is 0
                double sum = 0;
                for (int j = 0; j < n; j++) sum += Math.exp(x[start + j] - max);
                yield max + Math.log(sum);
            }
        };
    }

    private static double sum(double[] x, int start, int n) {
        double sum = 0;
        for (int j = 0; j < n; j++) sum += x[start + j];
        return sum;
    }

    @Override
    public void argmaxRows(double[] x, int xOff, int rows, int n, int[] out, int outOff) {
        for (int r = 0; r < rows; r++) {
            int best = 0;
            for (int j = 1; j < n; j++) if (x[xOff + r * n + j] > x[xOff + r * n + best]) best = j;
            out[outOff + r] = best;
        }
    }

    @Override
    public void argmaxRows(float[] x, int xOff, int rows, int n, int[] out, int outOff) {
        argmaxRows(widen(x), xOff, rows, n, out, outOff);
    }

    // ------------------------------------------------------------------------------------- fused row-wise kernels

    @Override
    public void softmaxRows(double[] x, int xOff, double[] mask, int maskOff, int maskRowRepeat, int rows, int n,
                            boolean log, double[] out, int outOff) {
        double[] row = new double[n];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < n; j++) {
                row[j] = x[xOff + r * n + j] + (mask == null ? 0 : mask[maskOff + (r / maskRowRepeat) * n + j]);
            }
            // softmax_j = exp(row_j − max) / Σ_i exp(row_i − max); log-softmax_j = (row_j − max) − ln Σ_i exp(row_i − max).
            // Subtracting the max first keeps every exponent ≤ 0 and avoids subtracting two huge numbers when a
            // row is masked with a large negative value.
            double max = reduceRow(ReduceOp.MAX, row, 0, n);
            double sum = 0;
            for (int j = 0; j < n; j++) sum += Math.exp(row[j] - max);
            for (int j = 0; j < n; j++) {
                double shifted = row[j] - max;
                out[outOff + r * n + j] = log ? shifted - Math.log(sum) : Math.exp(shifted) / sum;
            }
        }
    }

    @Override
    public void softmaxRows(float[] x, int xOff, float[] mask, int maskOff, int maskRowRepeat, int rows, int n,
                            boolean log, float[] out, int outOff) {
        double[] out64 = new double[out.length];
        softmaxRows(widen(x), xOff, mask == null ? null : widen(mask), maskOff, maskRowRepeat, rows, n, log,
                out64, outOff);
        narrow(out64, outOff, out, outOff, rows * n);
    }

    @Override
    public void softmaxBackwardRows(double[] y, int yOff, double[] dy, int dyOff, int rows, int n, boolean log,
                                    double[] dx, int dxOff) {
        for (int r = 0; r < rows; r++) {
            int yRow = yOff + r * n, dyRow = dyOff + r * n, dxRow = dxOff + r * n;
            if (log) {
                // y = x - logsumexp(x): dx_j = dy_j - softmax_j · Σ_i dy_i, with softmax = exp(y).
                double dySum = sum(dy, dyRow, n);
                for (int j = 0; j < n; j++) dx[dxRow + j] = dy[dyRow + j] - Math.exp(y[yRow + j]) * dySum;
            } else {
                // Jacobian of softmax is diag(y) - y yᵀ: dx_j = y_j (dy_j - Σ_i dy_i y_i).
                double dot = 0;
                for (int j = 0; j < n; j++) dot += dy[dyRow + j] * y[yRow + j];
                for (int j = 0; j < n; j++) dx[dxRow + j] = y[yRow + j] * (dy[dyRow + j] - dot);
            }
        }
    }

    @Override
    public void softmaxBackwardRows(float[] y, int yOff, float[] dy, int dyOff, int rows, int n, boolean log,
                                    float[] dx, int dxOff) {
        double[] dx64 = new double[dx.length];
        softmaxBackwardRows(widen(y), yOff, widen(dy), dyOff, rows, n, log, dx64, dxOff);
        narrow(dx64, dxOff, dx, dxOff, rows * n);
    }

    @Override
    public void layerNormRows(double[] x, int xOff, double[] gamma, double[] beta, double eps, int rows, int n,
                              double[] out, int outOff, double[] mean, double[] rstd) {
        for (int r = 0; r < rows; r++) {
            int row = xOff + r * n;
            double mu = sum(x, row, n) / n;
            double variance = 0;
            for (int j = 0; j < n; j++) variance += (x[row + j] - mu) * (x[row + j] - mu);
            variance /= n;
            double inverseStd = 1.0 / Math.sqrt(variance + eps);
            for (int j = 0; j < n; j++) {
                double normalized = (x[row + j] - mu) * inverseStd;
                out[outOff + r * n + j] = normalized * (gamma == null ? 1 : gamma[j]) + (beta == null ? 0 : beta[j]);
            }
            mean[r] = mu;
            rstd[r] = inverseStd;
        }
    }

    @Override
    public void layerNormRows(float[] x, int xOff, float[] gamma, float[] beta, float eps, int rows, int n,
                              float[] out, int outOff, float[] mean, float[] rstd) {
        double[] out64 = new double[out.length], mean64 = new double[rows], rstd64 = new double[rows];
        layerNormRows(widen(x), xOff, widenOrNull(gamma), widenOrNull(beta), eps, rows, n, out64, outOff,
                mean64, rstd64);
        narrow(out64, outOff, out, outOff, rows * n);
        narrow(mean64, 0, mean, 0, rows);
        narrow(rstd64, 0, rstd, 0, rows);
    }

    @Override
    public void layerNormBackwardRows(double[] x, int xOff, double[] gamma, double[] mean, double[] rstd,
                                      double[] dy, int dyOff, int rows, int n, double[] dx, int dxOff,
                                      double[] dGamma, double[] dBeta) {
        for (int r = 0; r < rows; r++) {
            int xRow = xOff + r * n, dyRow = dyOff + r * n;
            // With x̂ = (x - μ)·rstd and g = dy ⊙ γ: dx = rstd · (g - mean(g) - x̂ · mean(g ⊙ x̂)).
            double gMean = 0, gxMean = 0;
            for (int j = 0; j < n; j++) {
                double xHat = (x[xRow + j] - mean[r]) * rstd[r];
                double g = dy[dyRow + j] * (gamma == null ? 1 : gamma[j]);
                gMean += g;
                gxMean += g * xHat;
                if (dGamma != null) dGamma[j] += dy[dyRow + j] * xHat;
                if (dBeta != null) dBeta[j] += dy[dyRow + j];
            }
            gMean /= n;
            gxMean /= n;
            for (int j = 0; j < n; j++) {
                double xHat = (x[xRow + j] - mean[r]) * rstd[r];
                double g = dy[dyRow + j] * (gamma == null ? 1 : gamma[j]);
                dx[dxOff + r * n + j] = rstd[r] * (g - gMean - xHat * gxMean);
            }
        }
    }

    @Override
    public void layerNormBackwardRows(float[] x, int xOff, float[] gamma, float[] mean, float[] rstd,
                                      float[] dy, int dyOff, int rows, int n, float[] dx, int dxOff,
                                      float[] dGamma, float[] dBeta) {
        double[] dx64 = new double[dx.length];
        double[] dGamma64 = widenOrNull(dGamma), dBeta64 = widenOrNull(dBeta);
        layerNormBackwardRows(widen(x), xOff, widenOrNull(gamma), widen(mean), widen(rstd), widen(dy), dyOff,
                rows, n, dx64, dxOff, dGamma64, dBeta64);
        narrow(dx64, dxOff, dx, dxOff, rows * n);
        if (dGamma != null) narrow(dGamma64, 0, dGamma, 0, n);
        if (dBeta != null) narrow(dBeta64, 0, dBeta, 0, n);
    }

    // ------------------------------------------------------------------------------------------ gather / scatter

    @Override
    public void gatherRows(double[] table, int dim, int[] ids, int count, double[] out, int outOff) {
        for (int i = 0; i < count; i++) System.arraycopy(table, ids[i] * dim, out, outOff + i * dim, dim);
    }

    @Override
    public void gatherRows(float[] table, int dim, int[] ids, int count, float[] out, int outOff) {
        for (int i = 0; i < count; i++) System.arraycopy(table, ids[i] * dim, out, outOff + i * dim, dim);
    }

    @Override
    public void scatterAddRows(double[] src, int srcOff, int dim, int[] ids, int count, double[] table) {
        for (int i = 0; i < count; i++) {
            for (int j = 0; j < dim; j++) table[ids[i] * dim + j] += src[srcOff + i * dim + j];
        }
    }

    @Override
    public void scatterAddRows(float[] src, int srcOff, int dim, int[] ids, int count, float[] table) {
        for (int i = 0; i < count; i++) {
            for (int j = 0; j < dim; j++) table[ids[i] * dim + j] += src[srcOff + i * dim + j];
        }
    }

    // ---------------------------------------------------------------------------------------------------- helpers

    private static double[] widen(float[] values) {
        double[] wide = new double[values.length];
        for (int i = 0; i < values.length; i++) wide[i] = values[i];
        return wide;
    }

    private static double[] widenOrNull(float[] values) {
        return values == null ? null : widen(values);
    }

    private static void narrow(double[] src, int srcOff, float[] dst, int dstOff, int n) {
        for (int i = 0; i < n; i++) dst[dstOff + i] = (float) src[srcOff + i];
    }
}
