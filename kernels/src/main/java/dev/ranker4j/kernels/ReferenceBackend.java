package dev.ranker4j.kernels;

import dev.ranker4j.kernels.cpu.LayerNormKernels;

/**
 * The scalar reference: every core kernel as the plainest loop that is obviously right, single-threaded, and the
 * composite kernels as {@link CompositeKernels} composes them.
 *
 * <p>Each computation is written once, in double precision, on double arrays. An F64 operand is used as it is; an
 * F32 one is widened first and the result narrowed back (the float scalars of the F32 path, alpha, beta and eps, are
 * rounded to float first, as a float kernel receives them). That makes the reference slightly more accurate than any
 * float kernel, which is what a reference should be. Tests compare every fast kernel against this class on random
 * shapes; F64 computations of every backend run here (the precision policy of {@link ArrayRef}).
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
    public void gemm(GemmShape s, double alpha, Matrix a, Matrix b, double beta, Matrix c) {
        boolean f32 = c.data().isF32();
        double al = f32 ? (float) alpha : alpha, be = f32 ? (float) beta : beta;
        double[] a64 = wide(a.data()), b64 = wide(b.data()), c64 = c.data().outputDoubles(true);
        for (int i = 0; i < s.batch(); i++) {
            gemm(s.transA(), s.transB(), s.m(), s.n(), s.k(), al, a64, a.offset() + i * a.batchStride(), a.ld(),
                    b64, b.offset() + i * b.batchStride(), b.ld(), be, c64, c.offset() + i * c.batchStride(), c.ld());
        }
        if (c.data().isF32()) {
            for (int i = 0; i < s.batch(); i++) {
                for (int row = 0; row < s.m(); row++) {
                    c.data().storeDoubles(c64, c.offset() + i * c.batchStride() + row * c.ld(), s.n());
                }
            }
        }
    }

    /** C = alpha · op(A) · op(B) + beta · C: each element one dot product over p, summed in order. */
    private static void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a, int aOff,
                             int lda, double[] b, int bOff, int ldb, double beta, double[] c, int cOff, int ldc) {
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

    // ------------------------------------------------------------------------------------------------ elementwise

    @Override
    public void unary(UnaryOp op, double param, ArrayRef x, ArrayRef out, int n) {
        int xo = x.offset(), oo = out.offset();
        for (int i = 0; i < n; i++) out.set(oo + i, op.apply(x.get(xo + i), param));
    }

    @Override
    public void binary(BinaryOp op, int[] shape, Strided a, Strided b, ArrayRef out) {
        long size = StridedLoop.size(shape);
        StridedLoop loop = new StridedLoop(shape, new int[] {a.offset(), b.offset()}, a.strides(), b.strides());
        ArrayRef av = a.data(), bv = b.data();
        for (long i = 0; i < size; i++, loop.advance()) {
            out.set((int) (out.offset() + i), ScalarMath.apply(op, av.get(loop.position(0)), bv.get(loop.position(1))));
        }
    }

    @Override
    public void where(int[] shape, Strided cond, Strided a, Strided b, ArrayRef out) {
        long size = StridedLoop.size(shape);
        StridedLoop loop = new StridedLoop(shape, new int[] {cond.offset(), a.offset(), b.offset()}, cond.strides(),
                a.strides(), b.strides());
        for (long i = 0; i < size; i++, loop.advance()) {
            double value = cond.data().get(loop.position(0)) != 0 ? a.data().get(loop.position(1))
                    : b.data().get(loop.position(2));
            out.set((int) (out.offset() + i), value);
        }
    }

    @Override
    public void copy(int[] shape, Strided src, ArrayRef dst) {
        long size = StridedLoop.size(shape);
        StridedLoop loop = new StridedLoop(shape, new int[] {src.offset()}, src.strides());
        for (long i = 0; i < size; i++, loop.advance()) dst.set((int) (dst.offset() + i), src.data().get(loop.position(0)));
    }

    // ------------------------------------------------------------------------------------------------- reductions

    @Override
    public void reduceRows(ReduceOp op, ArrayRef x, int rows, int n, ArrayRef out) {
        double[] x64 = wide(x);
        for (int r = 0; r < rows; r++) out.set(out.offset() + r, reduceRow(op, x64, x.offset() + r * n, n));
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
    public void argmaxRows(ArrayRef x, int rows, int n, int[] out, int outOff) {
        double[] x64 = wide(x);
        int xOff = x.offset();
        for (int r = 0; r < rows; r++) {
            int best = 0;
            for (int j = 1; j < n; j++) if (x64[xOff + r * n + j] > x64[xOff + r * n + best]) best = j;
            out[outOff + r] = best;
        }
    }

    // ------------------------------------------------------------------------------------- fused row-wise kernels

    @Override
    public void softmaxRows(ArrayRef x, ArrayRef mask, int maskRowRepeat, int rows, int n, boolean log, ArrayRef out) {
        double[] x64 = wide(x), mask64 = wide(mask), out64 = out.outputDoubles(false);
        int xOff = x.offset(), maskOff = mask == null ? 0 : mask.offset(), outOff = out.offset();
        double[] row = new double[n];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < n; j++) {
                row[j] = x64[xOff + r * n + j] + (mask == null ? 0 : mask64[maskOff + (r / maskRowRepeat) * n + j]);
            }
            // softmax_j = exp(row_j − max) / Σ_i exp(row_i − max); log-softmax_j = (row_j − max) − ln Σ_i exp(row_i − max).
            // Subtracting the max first keeps every exponent ≤ 0 and avoids subtracting two huge numbers when a
            // row is masked with a large negative value.
            double max = reduceRow(ReduceOp.MAX, row, 0, n);
            double sum = 0;
            for (int j = 0; j < n; j++) sum += Math.exp(row[j] - max);
            for (int j = 0; j < n; j++) {
                double shifted = row[j] - max;
                out64[outOff + r * n + j] = log ? shifted - Math.log(sum) : Math.exp(shifted) / sum;
            }
        }
        out.storeDoubles(out64, outOff, rows * n);
    }

    @Override
    public void softmaxBackwardRows(ArrayRef y, ArrayRef dy, int rows, int n, boolean log, ArrayRef dx) {
        double[] y64 = wide(y), dy64 = wide(dy), dx64 = dx.outputDoubles(false);
        int yOff = y.offset(), dyOff = dy.offset(), dxOff = dx.offset();
        for (int r = 0; r < rows; r++) {
            int yRow = yOff + r * n, dyRow = dyOff + r * n, dxRow = dxOff + r * n;
            if (log) {
                // y = x - logsumexp(x): dx_j = dy_j - softmax_j · Σ_i dy_i, with softmax = exp(y).
                double dySum = sum(dy64, dyRow, n);
                for (int j = 0; j < n; j++) dx64[dxRow + j] = dy64[dyRow + j] - Math.exp(y64[yRow + j]) * dySum;
            } else {
                // Jacobian of softmax is diag(y) - y yᵀ: dx_j = y_j (dy_j - Σ_i dy_i y_i).
                double dot = 0;
                for (int j = 0; j < n; j++) dot += dy64[dyRow + j] * y64[yRow + j];
                for (int j = 0; j < n; j++) dx64[dxRow + j] = y64[yRow + j] * (dy64[dyRow + j] - dot);
            }
        }
        dx.storeDoubles(dx64, dxOff, rows * n);
    }

    /** The loops are in {@link LayerNormKernels#reference}, beside the SIMD version they check. */
    @Override
    public void layerNormRows(ArrayRef x, ArrayRef gamma, ArrayRef beta, double eps, int rows, int n, ArrayRef out,
                              LayerNormStats stats) {
        LayerNormKernels.reference(x, gamma, beta, eps, rows, n, out, stats);
    }

    /** The loops are in {@link LayerNormKernels#referenceBackward}, beside the SIMD version they check. */
    @Override
    public void layerNormBackwardRows(ArrayRef x, ArrayRef gamma, LayerNormStats stats, ArrayRef dy, int rows, int n,
                                      LayerNormGrads grads) {
        LayerNormKernels.referenceBackward(x, gamma, stats, dy, rows, n, grads);
    }

    // ------------------------------------------------------------------------------------------ gather / scatter

    @Override
    public void gatherRows(ArrayRef table, int dim, int[] ids, int count, ArrayRef out) {
        for (int i = 0; i < count; i++) {
            for (int j = 0; j < dim; j++) out.set(out.offset() + i * dim + j, table.get(ids[i] * dim + j));
        }
    }

    @Override
    public void scatterAddRows(ArrayRef src, int dim, int[] ids, int count, ArrayRef table) {
        if (table instanceof ArrayRef.F32 t) { // summed in float, as the table accumulates
            float[] values = t.array(), s = src.floats();
            for (int i = 0; i < count; i++) {
                for (int j = 0; j < dim; j++) values[ids[i] * dim + j] += s[src.offset() + i * dim + j];
            }
            return;
        }
        double[] values = table.doubles(), s = src.doubles();
        for (int i = 0; i < count; i++) {
            for (int j = 0; j < dim; j++) values[ids[i] * dim + j] += s[src.offset() + i * dim + j];
        }
    }

    private static double[] wide(ArrayRef values) {
        return values == null ? null : values.toDoubles();
    }
}
