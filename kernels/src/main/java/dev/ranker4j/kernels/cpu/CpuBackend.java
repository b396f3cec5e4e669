package dev.ranker4j.kernels.cpu;

import dev.ranker4j.kernels.Backend;
import dev.ranker4j.kernels.BinaryOp;
import dev.ranker4j.kernels.ReduceOp;
import dev.ranker4j.kernels.ReferenceBackend;
import dev.ranker4j.kernels.UnaryOp;

/**
 * The fast CPU backend: Vector API SIMD ({@code SPECIES_PREFERRED}: AVX-512 where the machine has it) and a fixed
 * pool of worker threads. This class only dispatches; each kernel family lives in its own file with its bandwidth
 * arithmetic: {@link UnaryKernels}, {@link UnaryBackwardKernels}, {@link BinaryKernels} (binary, where), {@link CopyKernels},
 * {@link ReduceKernels} (reduceRows, argmaxRows), {@link SoftmaxKernels}, {@link LayerNormKernels},
 * {@link GatherScatterKernels}, {@link DropoutKernels}, and the GEMM.
 *
 * <p>Every kernel is checked against its scalar twin in {@link ReferenceBackend} by the jqwik properties in the
 * test tree. Results never depend on the thread count (see {@link WorkSplit}).
 */
public final class CpuBackend implements Backend, AutoCloseable {
    private final Parallel parallel;
    private final WorkSplit split;
    private final CpuGemm gemm;
    private final AttentionKernels attention;

    /** A backend with {@code threads} threads (the caller's plus threads − 1 workers). */
    public CpuBackend(int threads) {
        this(threads, WorkSplit.DEFAULT_GRAIN);
    }

    /**
     * As {@link #CpuBackend(int)} with a custom grain: the fewest elements one thread is given (rounded up to a
     * multiple of 64). Tests pass a tiny grain so that small inputs exercise the multithreaded paths.
     */
    public CpuBackend(int threads, int grain) {
        this.parallel = new Parallel(threads);
        this.split = new WorkSplit(parallel, grain);
        this.gemm = new CpuGemm(parallel);
        this.attention = new AttentionKernels(parallel);
    }

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public int threads() {
        return parallel.threads();
    }

    /** Stops the worker threads; the backend must not be used afterwards. */
    @Override
    public void close() {
        parallel.close();
    }

    // ---------------------------------------------------------------------------------------------- matrix products

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                     float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        gemm.gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a, int aOff, int lda,
                     double[] b, int bOff, int ldb, double beta, double[] c, int cOff, int ldc) {
        gemm.gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    /** The bias is added in the GEMM's write-back: one pass over C instead of the default's two. */
    @Override
    public void gemmBias(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                         float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, float[] bias, int biasOff) {
        gemm.gemmBias(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, 0f, c, cOff, ldc, bias, biasOff);
    }

    @Override
    public void gemmBias(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a, int aOff,
                         int lda, double[] b, int bOff, int ldb, double[] c, int cOff, int ldc, double[] bias,
                         int biasOff) {
        gemm.gemmBias(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, 0.0, c, cOff, ldc, bias, biasOff);
    }

    @Override
    public void batchedGemm(int batch, boolean transA, boolean transB, int m, int n, int k, float alpha,
                            float[] a, int aOff, int strideA, int lda, float[] b, int bOff, int strideB, int ldb,
                            float beta, float[] c, int cOff, int strideC, int ldc) {
        gemm.batchedGemm(batch, transA, transB, m, n, k, alpha, a, aOff, strideA, lda, b, bOff, strideB, ldb,
                beta, c, cOff, strideC, ldc);
    }

    @Override
    public void batchedGemm(int batch, boolean transA, boolean transB, int m, int n, int k, double alpha,
                            double[] a, int aOff, int strideA, int lda, double[] b, int bOff, int strideB, int ldb,
                            double beta, double[] c, int cOff, int strideC, int ldc) {
        gemm.batchedGemm(batch, transA, transB, m, n, k, alpha, a, aOff, strideA, lda, b, bOff, strideB, ldb,
                beta, c, cOff, strideC, ldc);
    }

    /** One (sequence, head) per task with its scores kept in cache; see {@link AttentionKernels}. */
    @Override
    public void attention(int batch, int heads, int seqQ, int seqK, int d, float scale,
                          float[] q, int qOff, int qRowStride, float[] k, int kOff, int kRowStride,
                          float[] v, int vOff, int vRowStride, float[] mask, int maskOff,
                          float[] out, int outOff, int outRowStride) {
        attention.attention(batch, heads, seqQ, seqK, d, scale, q, qOff, qRowStride, k, kOff, kRowStride,
                v, vOff, vRowStride, mask, maskOff, out, outOff, outRowStride);
    }

    /** The forward's twin: one (sequence, head) per task with P and dP kept in cache; see {@link AttentionKernels}. */
    @Override
    public void attentionBackward(int batch, int heads, int seqQ, int seqK, int d, float scale,
                                  float[] q, int qOff, int qRowStride, float[] k, int kOff, int kRowStride,
                                  float[] v, int vOff, int vRowStride, float[] mask, int maskOff,
                                  float[] dOut, int dOutOff, int dOutRowStride,
                                  float[] dq, int dqOff, int dqRowStride, float[] dk, int dkOff, int dkRowStride,
                                  float[] dv, int dvOff, int dvRowStride) {
        attention.attentionBackward(batch, heads, seqQ, seqK, d, scale, q, qOff, qRowStride, k, kOff, kRowStride,
                v, vOff, vRowStride, mask, maskOff, dOut, dOutOff, dOutRowStride, dq, dqOff, dqRowStride,
                dk, dkOff, dkRowStride, dv, dvOff, dvRowStride);
    }

    // ------------------------------------------------------------------------------------------------ elementwise

    @Override
    public void unary(UnaryOp op, double param, float[] x, int xOff, float[] out, int outOff, int n) {
        UnaryKernels.unary(split, op, param, x, xOff, out, outOff, n);
    }

    @Override
    public void unary(UnaryOp op, double param, double[] x, int xOff, double[] out, int outOff, int n) {
        UnaryKernels.unary(split, op, param, x, xOff, out, outOff, n);
    }

    /** One fused pass for the ops in {@link UnaryBackwardKernels#FUSED}; the composed default for the rest. */
    @Override
    public void unaryBackward(UnaryOp op, double param, float[] x, int xOff, float[] dy, int dyOff,
                              float[] dx, int dxOff, int n) {
        if (UnaryBackwardKernels.FUSED.contains(op)) {
            UnaryBackwardKernels.backward(split, op, x, xOff, dy, dyOff, dx, dxOff, n);
        } else {
            Backend.super.unaryBackward(op, param, x, xOff, dy, dyOff, dx, dxOff, n);
        }
    }

    @Override
    public void unaryBackward(UnaryOp op, double param, double[] x, int xOff, double[] dy, int dyOff,
                              double[] dx, int dxOff, int n) {
        if (UnaryBackwardKernels.FUSED.contains(op)) {
            UnaryBackwardKernels.backward(split, op, x, xOff, dy, dyOff, dx, dxOff, n);
        } else {
            Backend.super.unaryBackward(op, param, x, xOff, dy, dyOff, dx, dxOff, n);
        }
    }

    @Override
    public void binary(BinaryOp op, int[] shape, float[] a, int aOff, int[] aStrides, float[] b, int bOff,
                       int[] bStrides, float[] out, int outOff) {
        BinaryKernels.binary(split, op, shape, a, aOff, aStrides, b, bOff, bStrides, out, outOff);
    }

    @Override
    public void binary(BinaryOp op, int[] shape, double[] a, int aOff, int[] aStrides, double[] b, int bOff,
                       int[] bStrides, double[] out, int outOff) {
        BinaryKernels.binary(split, op, shape, a, aOff, aStrides, b, bOff, bStrides, out, outOff);
    }

    @Override
    public void where(int[] shape, float[] cond, int condOff, int[] condStrides, float[] a, int aOff, int[] aStrides,
                      float[] b, int bOff, int[] bStrides, float[] out, int outOff) {
        BinaryKernels.where(split, shape, cond, condOff, condStrides, a, aOff, aStrides, b, bOff, bStrides, out, outOff);
    }

    @Override
    public void where(int[] shape, double[] cond, int condOff, int[] condStrides, double[] a, int aOff,
                      int[] aStrides, double[] b, int bOff, int[] bStrides, double[] out, int outOff) {
        BinaryKernels.where(split, shape, cond, condOff, condStrides, a, aOff, aStrides, b, bOff, bStrides, out, outOff);
    }

    @Override
    public void copy(int[] shape, float[] src, int srcOff, int[] srcStrides, float[] dst, int dstOff) {
        CopyKernels.copy(split, shape, src, srcOff, srcStrides, dst, dstOff);
    }

    @Override
    public void copy(int[] shape, double[] src, int srcOff, int[] srcStrides, double[] dst, int dstOff) {
        CopyKernels.copy(split, shape, src, srcOff, srcStrides, dst, dstOff);
    }

    // ------------------------------------------------------------------------------------------------- reductions

    @Override
    public void reduceRows(ReduceOp op, float[] x, int xOff, int rows, int n, float[] out, int outOff) {
        ReduceKernels.reduceRows(split, op, x, xOff, rows, n, out, outOff);
    }

    @Override
    public void reduceRows(ReduceOp op, double[] x, int xOff, int rows, int n, double[] out, int outOff) {
        ReduceKernels.reduceRows(split, op, x, xOff, rows, n, out, outOff);
    }

    @Override
    public void argmaxRows(float[] x, int xOff, int rows, int n, int[] out, int outOff) {
        ReduceKernels.argmaxRows(split, x, xOff, rows, n, out, outOff);
    }

    @Override
    public void argmaxRows(double[] x, int xOff, int rows, int n, int[] out, int outOff) {
        ReduceKernels.argmaxRows(split, x, xOff, rows, n, out, outOff);
    }

    // ------------------------------------------------------------------------------------- fused row-wise kernels

    @Override
    public void softmaxRows(float[] x, int xOff, float[] mask, int maskOff, int maskRowRepeat, int rows, int n,
                            boolean log, float[] out, int outOff) {
        SoftmaxKernels.softmaxRows(split, x, xOff, mask, maskOff, maskRowRepeat, rows, n, log, out, outOff);
    }

    @Override
    public void softmaxRows(double[] x, int xOff, double[] mask, int maskOff, int maskRowRepeat, int rows, int n,
                            boolean log, double[] out, int outOff) {
        SoftmaxKernels.softmaxRows(split, x, xOff, mask, maskOff, maskRowRepeat, rows, n, log, out, outOff);
    }

    @Override
    public void softmaxBackwardRows(float[] y, int yOff, float[] dy, int dyOff, int rows, int n, boolean log,
                                    float[] dx, int dxOff) {
        SoftmaxKernels.softmaxBackwardRows(split, y, yOff, dy, dyOff, rows, n, log, dx, dxOff);
    }

    @Override
    public void softmaxBackwardRows(double[] y, int yOff, double[] dy, int dyOff, int rows, int n, boolean log,
                                    double[] dx, int dxOff) {
        SoftmaxKernels.softmaxBackwardRows(split, y, yOff, dy, dyOff, rows, n, log, dx, dxOff);
    }

    @Override
    public void layerNormRows(float[] x, int xOff, float[] gamma, float[] beta, float eps, int rows, int n,
                              float[] out, int outOff, float[] mean, float[] rstd) {
        LayerNormKernels.layerNormRows(split, x, xOff, gamma, beta, eps, rows, n, out, outOff, mean, rstd);
    }

    @Override
    public void layerNormRows(double[] x, int xOff, double[] gamma, double[] beta, double eps, int rows, int n,
                              double[] out, int outOff, double[] mean, double[] rstd) {
        LayerNormKernels.layerNormRows(split, x, xOff, gamma, beta, eps, rows, n, out, outOff, mean, rstd);
    }

    @Override
    public void layerNormBackwardRows(float[] x, int xOff, float[] gamma, float[] mean, float[] rstd, float[] dy,
                                      int dyOff, int rows, int n, float[] dx, int dxOff, float[] dGamma,
                                      float[] dBeta) {
        LayerNormKernels.layerNormBackwardRows(split, x, xOff, gamma, mean, rstd, dy, dyOff, rows, n, dx, dxOff,
                dGamma, dBeta);
    }

    @Override
    public void layerNormBackwardRows(double[] x, int xOff, double[] gamma, double[] mean, double[] rstd,
                                      double[] dy, int dyOff, int rows, int n, double[] dx, int dxOff,
                                      double[] dGamma, double[] dBeta) {
        LayerNormKernels.layerNormBackwardRows(split, x, xOff, gamma, mean, rstd, dy, dyOff, rows, n, dx, dxOff,
                dGamma, dBeta);
    }

    // ------------------------------------------------------------------------------------------------ randomness

    /** One SplitMix64 position per long lane; see {@link DropoutKernels}. */
    @Override
    public void dropoutMask(long seed, long firstPosition, double p, float[] out, int outOff, int n) {
        DropoutKernels.dropoutMask(split, seed, firstPosition, p, out, outOff, n);
    }

    @Override
    public void dropoutMask(long seed, long firstPosition, double p, double[] out, int outOff, int n) {
        DropoutKernels.dropoutMask(split, seed, firstPosition, p, out, outOff, n);
    }

    // ------------------------------------------------------------------------------------------ gather / scatter

    @Override
    public void gatherRows(float[] table, int dim, int[] ids, int count, float[] out, int outOff) {
        GatherScatterKernels.gatherRows(split, table, dim, ids, count, out, outOff);
    }

    @Override
    public void gatherRows(double[] table, int dim, int[] ids, int count, double[] out, int outOff) {
        GatherScatterKernels.gatherRows(split, table, dim, ids, count, out, outOff);
    }

    @Override
    public void scatterAddRows(float[] src, int srcOff, int dim, int[] ids, int count, float[] table) {
        GatherScatterKernels.scatterAddRows(split, src, srcOff, dim, ids, count, table);
    }

    @Override
    public void scatterAddRows(double[] src, int srcOff, int dim, int[] ids, int count, double[] table) {
        GatherScatterKernels.scatterAddRows(split, src, srcOff, dim, ids, count, table);
    }
}
