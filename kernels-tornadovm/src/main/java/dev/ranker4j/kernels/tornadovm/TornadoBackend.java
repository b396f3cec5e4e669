package dev.ranker4j.kernels.tornadovm;

import dev.ranker4j.kernels.Backend;
import dev.ranker4j.kernels.Backends;
import dev.ranker4j.kernels.BinaryOp;
import dev.ranker4j.kernels.DeviceBackend;
import dev.ranker4j.kernels.ReduceOp;
import dev.ranker4j.kernels.ReferenceBackend;
import dev.ranker4j.kernels.UnaryOp;

/**
 * The {@link Backend} whose float kernels TornadoVM compiles for an OpenCL device (a GPU, or the CPU through PoCL).
 *
 * <p>Float32 runs on the device: each kernel lives in its own class ({@link GemmKernel}, {@link SoftmaxKernel},
 * {@link LayerNormKernel}, {@link RowReductionKernel}, {@link UnaryKernel}, {@link StridedKernel},
 * {@link EmbeddingKernel}) with the {@link ReferenceBackend} method it must match named in its Javadoc.
 * Float64 entry points (gradient checks, references) delegate to a host backend, the CPU backend when one is
 * installed and the reference otherwise: devices without fp64 exist, and double precision is for checking, not
 * speed.
 *
 * <p>Weights: {@link #keepOnDevice} registers an array that GEMM (either operand) and the embedding gather then
 * upload once and keep on the device; {@link #hostChanged} drops that copy after the host updated the array (an
 * optimizer step). Everything else is copied in and out per call; {@link #transfers()} counts every copy.
 *
 * <p>Calls are serialized (TornadoVM plans and the staging buffers are not shared between threads), so
 * {@link #threads()} is 1; the device supplies the parallelism.
 */
public final class TornadoBackend implements DeviceBackend, AutoCloseable {
    private final String device;
    private final Backend host;
    private final TransferStats transfers = new TransferStats();
    private final Residency residency = new Residency();
    private final GemmKernel gemm = new GemmKernel(transfers, residency);
    private final SoftmaxKernel softmax = new SoftmaxKernel(transfers);
    private final LayerNormKernel layerNorm = new LayerNormKernel(transfers);
    private final RowReductionKernel rowReductions = new RowReductionKernel(transfers);
    private final UnaryKernel unary = new UnaryKernel(transfers);
    private final StridedKernel strided = new StridedKernel(transfers);
    private final EmbeddingKernel embedding = new EmbeddingKernel(transfers, residency);

    /**
     * @param device a description of the device, for logs and benchmark output
     * @param host   runs the float64 entry points (and the few shapes the device kernels do not take)
     */
    public TornadoBackend(String device, Backend host) {
        this.device = device;
        this.host = host;
    }

    /** The CPU backend when installed, else the reference. */
    static Backend defaultFallback() {
        try {
            return Backends.byName("cpu");
        } catch (IllegalArgumentException notInstalled) {
            return new ReferenceBackend();
        }
    }

    @Override
    public String name() {
        return "tornadovm";
    }

    @Override
    public int threads() {
        return 1;
    }

    /** The device the kernels run on, e.g. "pthread-skylake-avx512-AMD EPYC (OpenCL ...)". */
    @Override
    public String device() {
        return device;
    }

    /** Host↔device copies and kernel launches since this backend was created. */
    @Override
    public TransferCounts transfers() {
        return transfers.snapshot();
    }

    /** Keeps {@code weights} on the device once uploaded (until {@link #hostChanged}); identity names the array. */
    @Override
    public synchronized void keepOnDevice(float[] weights) {
        residency.add(weights);
    }

    /** The host changed {@code weights}: drop the device copy; the next kernel that reads them uploads them again. */
    @Override
    public synchronized void hostChanged(float[] weights) {
        gemm.evict(weights);
        embedding.evict(weights);
    }

    /** Stops keeping {@code weights} on the device and frees the copy. */
    public synchronized void release(float[] weights) {
        hostChanged(weights);
        residency.remove(weights);
    }

    // ---------------------------------------------------------------------------------------------- matrix products

    @Override
    public synchronized void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a,
                                  int aOff, int lda, float[] b, int bOff, int ldb, float beta, float[] c, int cOff,
                                  int ldc) {
        gemm.run(1, transA, transB, m, n, k, alpha, a, aOff, 0, lda, b, bOff, 0, ldb, beta, c, cOff, 0, ldc);
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a, int aOff, int lda,
                     double[] b, int bOff, int ldb, double beta, double[] c, int cOff, int ldc) {
        host.gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    @Override
    public synchronized void batchedGemm(int batch, boolean transA, boolean transB, int m, int n, int k, float alpha,
                                         float[] a, int aOff, int strideA, int lda, float[] b, int bOff, int strideB,
                                         int ldb, float beta, float[] c, int cOff, int strideC, int ldc) {
        gemm.run(batch, transA, transB, m, n, k, alpha, a, aOff, strideA, lda, b, bOff, strideB, ldb,
                beta, c, cOff, strideC, ldc);
    }

    @Override
    public void batchedGemm(int batch, boolean transA, boolean transB, int m, int n, int k, double alpha,
                            double[] a, int aOff, int strideA, int lda, double[] b, int bOff, int strideB, int ldb,
                            double beta, double[] c, int cOff, int strideC, int ldc) {
        host.batchedGemm(batch, transA, transB, m, n, k, alpha, a, aOff, strideA, lda, b, bOff, strideB, ldb,
                beta, c, cOff, strideC, ldc);
    }

    // ------------------------------------------------------------------------------------------------ elementwise

    @Override
    public synchronized void unary(UnaryOp op, double param, float[] x, int xOff, float[] out, int outOff, int n) {
        unary.run(op, param, x, xOff, out, outOff, n);
    }

    @Override
    public void unary(UnaryOp op, double param, double[] x, int xOff, double[] out, int outOff, int n) {
        host.unary(op, param, x, xOff, out, outOff, n);
    }

    @Override
    public synchronized void binary(BinaryOp op, int[] shape, float[] a, int aOff, int[] aStrides, float[] b,
                                    int bOff, int[] bStrides, float[] out, int outOff) {
        if (!StridedKernel.supports(shape)) {
            host.binary(op, shape, a, aOff, aStrides, b, bOff, bStrides, out, outOff);
            return;
        }
        strided.binary(op, shape, a, aOff, aStrides, b, bOff, bStrides, out, outOff);
    }

    @Override
    public void binary(BinaryOp op, int[] shape, double[] a, int aOff, int[] aStrides, double[] b, int bOff,
                       int[] bStrides, double[] out, int outOff) {
        host.binary(op, shape, a, aOff, aStrides, b, bOff, bStrides, out, outOff);
    }

    @Override
    public synchronized void where(int[] shape, float[] cond, int condOff, int[] condStrides, float[] a, int aOff,
                                   int[] aStrides, float[] b, int bOff, int[] bStrides, float[] out, int outOff) {
        if (!StridedKernel.supports(shape)) {
            host.where(shape, cond, condOff, condStrides, a, aOff, aStrides, b, bOff, bStrides, out, outOff);
            return;
        }
        strided.where(shape, cond, condOff, condStrides, a, aOff, aStrides, b, bOff, bStrides, out, outOff);
    }

    @Override
    public void where(int[] shape, double[] cond, int condOff, int[] condStrides, double[] a, int aOff,
                      int[] aStrides, double[] b, int bOff, int[] bStrides, double[] out, int outOff) {
        host.where(shape, cond, condOff, condStrides, a, aOff, aStrides, b, bOff, bStrides, out, outOff);
    }

    @Override
    public synchronized void copy(int[] shape, float[] src, int srcOff, int[] srcStrides, float[] dst, int dstOff) {
        if (!StridedKernel.supports(shape)) {
            host.copy(shape, src, srcOff, srcStrides, dst, dstOff);
            return;
        }
        strided.copy(shape, src, srcOff, srcStrides, dst, dstOff);
    }

    @Override
    public void copy(int[] shape, double[] src, int srcOff, int[] srcStrides, double[] dst, int dstOff) {
        host.copy(shape, src, srcOff, srcStrides, dst, dstOff);
    }

    // ------------------------------------------------------------------------------------------------- reductions

    @Override
    public synchronized void reduceRows(ReduceOp op, float[] x, int xOff, int rows, int n, float[] out, int outOff) {
        rowReductions.reduce(op, x, xOff, rows, n, out, outOff);
    }

    @Override
    public void reduceRows(ReduceOp op, double[] x, int xOff, int rows, int n, double[] out, int outOff) {
        host.reduceRows(op, x, xOff, rows, n, out, outOff);
    }

    @Override
    public synchronized void argmaxRows(float[] x, int xOff, int rows, int n, int[] out, int outOff) {
        rowReductions.argmax(x, xOff, rows, n, out, outOff);
    }

    @Override
    public void argmaxRows(double[] x, int xOff, int rows, int n, int[] out, int outOff) {
        host.argmaxRows(x, xOff, rows, n, out, outOff);
    }

    // ------------------------------------------------------------------------------------- fused row-wise kernels

    @Override
    public synchronized void softmaxRows(float[] x, int xOff, float[] mask, int maskOff, int maskRowRepeat, int rows,
                                         int n, boolean log, float[] out, int outOff) {
        softmax.forward(x, xOff, mask, maskOff, maskRowRepeat, rows, n, log, out, outOff);
    }

    @Override
    public void softmaxRows(double[] x, int xOff, double[] mask, int maskOff, int maskRowRepeat, int rows, int n,
                            boolean log, double[] out, int outOff) {
        host.softmaxRows(x, xOff, mask, maskOff, maskRowRepeat, rows, n, log, out, outOff);
    }

    @Override
    public synchronized void softmaxBackwardRows(float[] y, int yOff, float[] dy, int dyOff, int rows, int n,
                                                 boolean log, float[] dx, int dxOff) {
        softmax.backward(y, yOff, dy, dyOff, rows, n, log, dx, dxOff);
    }

    @Override
    public void softmaxBackwardRows(double[] y, int yOff, double[] dy, int dyOff, int rows, int n, boolean log,
                                    double[] dx, int dxOff) {
        host.softmaxBackwardRows(y, yOff, dy, dyOff, rows, n, log, dx, dxOff);
    }

    @Override
    public synchronized void layerNormRows(float[] x, int xOff, float[] gamma, float[] beta, float eps, int rows,
                                           int n, float[] out, int outOff, float[] mean, float[] rstd) {
        layerNorm.forward(x, xOff, gamma, beta, eps, rows, n, out, outOff, mean, rstd);
    }

    @Override
    public void layerNormRows(double[] x, int xOff, double[] gamma, double[] beta, double eps, int rows, int n,
                              double[] out, int outOff, double[] mean, double[] rstd) {
        host.layerNormRows(x, xOff, gamma, beta, eps, rows, n, out, outOff, mean, rstd);
    }

    @Override
    public synchronized void layerNormBackwardRows(float[] x, int xOff, float[] gamma, float[] mean, float[] rstd,
                                                   float[] dy, int dyOff, int rows, int n, float[] dx, int dxOff,
                                                   float[] dGamma, float[] dBeta) {
        layerNorm.backward(x, xOff, gamma, mean, rstd, dy, dyOff, rows, n, dx, dxOff, dGamma, dBeta);
    }

    @Override
    public void layerNormBackwardRows(double[] x, int xOff, double[] gamma, double[] mean, double[] rstd,
                                      double[] dy, int dyOff, int rows, int n, double[] dx, int dxOff,
                                      double[] dGamma, double[] dBeta) {
        host.layerNormBackwardRows(x, xOff, gamma, mean, rstd, dy, dyOff, rows, n, dx, dxOff, dGamma, dBeta);
    }

    // --------------------------------------------------------------------------------------------------- attention

    /**
     * Attention as three device launches per sequence instead of the {@link Backend} default's three per head: the
     * scores of all heads as one batched GEMM (head h's Q and K columns are d apart in the token rows, so the batch
     * stride is d), one softmax over all heads' rows with the sequence's mask row, and the context as one batched
     * GEMM written straight into the heads' columns of {@code out}. Every launch sends its staging buffers, so
     * launches are what to save here. Reference: the {@link Backend} default, which {@link ReferenceBackend} inherits.
     */
    @Override
    public synchronized void attention(int batch, int heads, int seqQ, int seqK, int d, float scale,
                                       float[] q, int qOff, int qRowStride, float[] k, int kOff, int kRowStride,
                                       float[] v, int vOff, int vRowStride, float[] mask, int maskOff,
                                       float[] out, int outOff, int outRowStride) {
        if (batch == 0 || heads == 0 || seqQ == 0 || d == 0) return;
        int scoresPerHead = seqQ * seqK;
        float[] scores = new float[heads * scoresPerHead], probabilities = new float[heads * scoresPerHead];
        for (int b = 0; b < batch; b++) {
            gemm.run(heads, false, true, seqQ, seqK, d, scale, q, qOff + b * seqQ * qRowStride, d, qRowStride,
                    k, kOff + b * seqK * kRowStride, d, kRowStride, 0f, scores, 0, scoresPerHead, seqK);
            softmax.forward(scores, 0, mask, maskOff + b * seqK, heads * seqQ, heads * seqQ, seqK, false,
                    probabilities, 0);
            gemm.run(heads, false, false, seqQ, d, seqK, 1f, probabilities, 0, scoresPerHead, seqK,
                    v, vOff + b * seqK * vRowStride, d, vRowStride, 0f, out, outOff + b * seqQ * outRowStride, d,
                    outRowStride);
        }
    }

    @Override
    public void attention(int batch, int heads, int seqQ, int seqK, int d, double scale,
                          double[] q, int qOff, int qRowStride, double[] k, int kOff, int kRowStride,
                          double[] v, int vOff, int vRowStride, double[] mask, int maskOff,
                          double[] out, int outOff, int outRowStride) {
        host.attention(batch, heads, seqQ, seqK, d, scale, q, qOff, qRowStride, k, kOff, kRowStride, v, vOff,
                vRowStride, mask, maskOff, out, outOff, outRowStride);
    }

    // ------------------------------------------------------------------------------------------ gather / scatter

    @Override
    public synchronized void gatherRows(float[] table, int dim, int[] ids, int count, float[] out, int outOff) {
        embedding.gather(table, dim, ids, count, out, outOff);
    }

    @Override
    public void gatherRows(double[] table, int dim, int[] ids, int count, double[] out, int outOff) {
        host.gatherRows(table, dim, ids, count, out, outOff);
    }

    @Override
    public synchronized void scatterAddRows(float[] src, int srcOff, int dim, int[] ids, int count, float[] table) {
        embedding.scatterAdd(src, srcOff, dim, ids, count, table);
    }

    @Override
    public void scatterAddRows(double[] src, int srcOff, int dim, int[] ids, int count, double[] table) {
        host.scatterAddRows(src, srcOff, dim, ids, count, table);
    }

    /** Frees every device buffer and plan. */
    @Override
    public synchronized void close() {
        gemm.close();
        softmax.close();
        layerNorm.close();
        rowReductions.close();
        unary.close();
        strided.close();
        embedding.close();
    }
}
