package dev.ranker4j.kernels.tornadovm;

import dev.ranker4j.kernels.AdamWStep;
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
 * {@link EmbeddingKernel}, {@link AdamWKernel}, {@link DropoutKernel}) with the {@link ReferenceBackend} method it must match named in its Javadoc.
 * Float64 entry points (gradient checks, references) delegate to a host backend, the CPU backend when one is
 * installed and the reference otherwise: devices without fp64 exist, and double precision is for checking, not
 * speed.
 *
 * <p>Arrays stay on the device. Every float array a kernel touches gets a copy in the device memory (one block
 * allocated at start, {@value #MEMORY_PROPERTY} MB, default {@value #DEFAULT_MEMORY_MB}), managed by
 * {@link DeviceArrays}: inputs are uploaded only when the host copy is newer, outputs stay on the device, and an
 * array crosses back only when host code is about to read it ({@link #beforeHostAccess}, called by the tensor
 * layer). Weights are the same mechanism: uploaded on first use, then current on both sides until the host writes
 * them ({@link #afterHostWrite}). So a forward moves its inputs and weights (once) to the device and its results
 * back; {@link #transfers()} counts every copy.
 *
 * <p>Calls are serialized (TornadoVM plans and the staging buffers are not shared between threads), so
 * {@link #threads()} is 1; the device supplies the parallelism.
 */
public final class TornadoBackend implements DeviceBackend, AutoCloseable {
    /** System property: the device memory this backend allocates, in MB. */
    public static final String MEMORY_PROPERTY = "ranker4j.tornadovm.memoryMB";
    static final int DEFAULT_MEMORY_MB = 768;

    private final String device;
    private final Backend host;
    private final TransferStats transfers = new TransferStats();
    private final DeviceProgram program;
    private final DeviceArrays arrays;
    private final GemmKernel gemm;
    private final SoftmaxKernel softmax;
    private final LayerNormKernel layerNorm;
    private final RowReductionKernel rowReductions;
    private final UnaryKernel unary;
    private final StridedKernel strided;
    private final EmbeddingKernel embedding;
    private final AdamWKernel adamW;
    private final DropoutKernel dropout;

    /**
     * @param device a description of the device, for logs and benchmark output
     * @param host   runs the float64 entry points (and the few shapes the device kernels do not take)
     */
    public TornadoBackend(String device, Backend host) {
        this(device, host, Integer.getInteger(MEMORY_PROPERTY, DEFAULT_MEMORY_MB));
    }

    /** @param memoryMB the device memory to allocate for arrays, in MB */
    public TornadoBackend(String device, Backend host, int memoryMB) {
        if (memoryMB < 1 || memoryMB > 8191) {
            throw new IllegalArgumentException(MEMORY_PROPERTY + " must be in [1, 8191] MB, got " + memoryMB);
        }
        this.device = device;
        this.host = host;
        int floats = memoryMB * (1 << 20) / Float.BYTES;
        program = new DeviceProgram(floats, transfers);
        TransferKernels copies = new TransferKernels(program);
        arrays = new DeviceArrays(copies, floats);
        gemm = new GemmKernel(program, arrays);
        softmax = new SoftmaxKernel(program, arrays);
        layerNorm = new LayerNormKernel(program, arrays);
        rowReductions = new RowReductionKernel(program, arrays, copies);
        unary = new UnaryKernel(program, arrays);
        strided = new StridedKernel(program, arrays);
        embedding = new EmbeddingKernel(program, arrays);
        adamW = new AdamWKernel(program, arrays);
        dropout = new DropoutKernel(program, arrays);
        program.build();
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

    // ------------------------------------------------------------------------------------------ host ↔ device

    /** Downloads {@code array} if a kernel wrote it since the host last saw it. */
    @Override
    public synchronized void beforeHostAccess(Object array) {
        arrays.toHost(array);
    }

    /** The host wrote {@code array}: the next kernel that reads it uploads it again. */
    @Override
    public synchronized void afterHostWrite(Object array) {
        arrays.hostWrote(array);
    }

    /** Downloads every array the device holds newer (this backend is being replaced as the current one). */
    @Override
    public synchronized void synchronizeHost() {
        arrays.allToHost();
    }

    /** Uploads {@code weights} now and never moves them out of the device to make room. */
    @Override
    public synchronized void keepOnDevice(float[] weights) {
        arrays.beginCall();
        arrays.pin(weights);
    }

    /** Forgets the device copy of {@code array} (downloading it first if the device was newer) and frees it. */
    public synchronized void release(float[] array) {
        arrays.release(array);
    }

    /** Host arrays that have a copy on the device, and the device memory they use in bytes: for tests and logs. */
    public synchronized String memoryUse() {
        return arrays.size() + " arrays, " + arrays.usedFloats() * Float.BYTES + " bytes";
    }

    // ---------------------------------------------------------------------------------------------- matrix products

    @Override
    public synchronized void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a,
                                  int aOff, int lda, float[] b, int bOff, int ldb, float beta, float[] c, int cOff,
                                  int ldc) {
        arrays.beginCall();
        gemm.run(1, transA, transB, m, n, k, alpha, a, aOff, 0, lda, b, bOff, 0, ldb, beta, c, cOff, 0, ldc, null, 0);
    }

    /** One launch: the bias row is added in the GEMM's write-back, and C is only written (never uploaded). */
    @Override
    public synchronized void gemmBias(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a,
                                      int aOff, int lda, float[] b, int bOff, int ldb, float[] c, int cOff, int ldc,
                                      float[] bias, int biasOff) {
        arrays.beginCall();
        gemm.run(1, transA, transB, m, n, k, alpha, a, aOff, 0, lda, b, bOff, 0, ldb, 0f, c, cOff, 0, ldc, bias, biasOff);
    }

    @Override
    public void gemmBias(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a, int aOff,
                         int lda, double[] b, int bOff, int ldb, double[] c, int cOff, int ldc, double[] bias,
                         int biasOff) {
        host.gemmBias(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, bias, biasOff);
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
        arrays.beginCall();
        gemm.run(batch, transA, transB, m, n, k, alpha, a, aOff, strideA, lda, b, bOff, strideB, ldb,
                beta, c, cOff, strideC, ldc, null, 0);
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
        arrays.beginCall();
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
            onHost(() -> host.binary(op, shape, a, aOff, aStrides, b, bOff, bStrides, out, outOff), out, a, b);
            return;
        }
        arrays.beginCall();
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
            onHost(() -> host.where(shape, cond, condOff, condStrides, a, aOff, aStrides, b, bOff, bStrides, out,
                    outOff), out, cond, a, b);
            return;
        }
        arrays.beginCall();
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
            onHost(() -> host.copy(shape, src, srcOff, srcStrides, dst, dstOff), dst, src);
            return;
        }
        arrays.beginCall();
        strided.copy(shape, src, srcOff, srcStrides, dst, dstOff);
    }

    @Override
    public void copy(int[] shape, double[] src, int srcOff, int[] srcStrides, double[] dst, int dstOff) {
        host.copy(shape, src, srcOff, srcStrides, dst, dstOff);
    }

    // ------------------------------------------------------------------------------------------------- reductions

    @Override
    public synchronized void reduceRows(ReduceOp op, float[] x, int xOff, int rows, int n, float[] out, int outOff) {
        arrays.beginCall();
        rowReductions.reduce(op, x, xOff, rows, n, out, outOff);
    }

    @Override
    public void reduceRows(ReduceOp op, double[] x, int xOff, int rows, int n, double[] out, int outOff) {
        host.reduceRows(op, x, xOff, rows, n, out, outOff);
    }

    @Override
    public synchronized void argmaxRows(float[] x, int xOff, int rows, int n, int[] out, int outOff) {
        arrays.beginCall();
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
        arrays.beginCall();
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
        arrays.beginCall();
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
        arrays.beginCall();
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
        arrays.beginCall();
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
     * GEMM written straight into the heads' columns of {@code out}. Scores and probabilities live in device scratch
     * and never become host arrays; the mask rows are shifted by their maxima once for all sequences (see
     * {@link SoftmaxKernel}). Reference: the {@link Backend} default, which {@link ReferenceBackend} inherits.
     */
    @Override
    public synchronized void attention(int batch, int heads, int seqQ, int seqK, int d, float scale,
                                       float[] q, int qOff, int qRowStride, float[] k, int kOff, int kRowStride,
                                       float[] v, int vOff, int vRowStride, float[] mask, int maskOff,
                                       float[] out, int outOff, int outRowStride) {
        if (batch == 0 || heads == 0 || seqQ == 0 || d == 0) return;
        arrays.beginCall();
        int qAt = arrays.read(q) + qOff, kAt = arrays.read(k) + kOff, vAt = arrays.read(v) + vOff;
        int maskAt = mask == null ? -1 : arrays.read(mask) + maskOff;
        // The heads fill whole output rows when they are packed side by side: then out is written densely.
        int rowsEnd = outOff + ((batch * seqQ) - 1) * outRowStride + heads * d;
        boolean dense = outRowStride == heads * d;
        int outAt = arrays.write(out, dense ? outOff : 0, dense ? rowsEnd : 0) + outOff;
        int scoresPerHead = seqQ * seqK, scoresSize = heads * scoresPerHead;
        int scores = arrays.scratch(scoresSize), probabilities = arrays.scratch(scoresSize);
        int shiftedMask = maskAt < 0 ? -1 : softmax.shiftMask(maskAt, batch, seqK);
        try {
            for (int b = 0; b < batch; b++) {
                gemm.run(heads, false, true, seqQ, seqK, d, scale, qAt + b * seqQ * qRowStride, d, qRowStride,
                        kAt + b * seqK * kRowStride, d, kRowStride, 0f, scores, scoresPerHead, seqK, -1);
                softmax.forwardShifted(scores, shiftedMask < 0 ? -1 : shiftedMask + b * seqK, heads * seqQ,
                        heads * seqQ, seqK, false, probabilities);
                gemm.run(heads, false, false, seqQ, d, seqK, 1f, probabilities, scoresPerHead, seqK,
                        vAt + b * seqK * vRowStride, d, vRowStride, 0f, outAt + b * seqQ * outRowStride, d,
                        outRowStride, -1);
            }
        } finally {
            arrays.freeScratch(scores, scoresSize);
            arrays.freeScratch(probabilities, scoresSize);
            if (shiftedMask >= 0) arrays.freeScratch(shiftedMask, batch * seqK);
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

    // ------------------------------------------------------------------------------------------------ optimizers

    /** On the device: weights, gradients and moments stay there (only the step's scalars cross). */
    @Override
    public synchronized void adamW(AdamWStep step, float[] theta, float[] grad, float[] m, float[] v, int n) {
        arrays.beginCall();
        adamW.run(step, theta, grad, m, v, n);
    }

    @Override
    public void adamW(AdamWStep step, double[] theta, double[] grad, double[] m, double[] v, int n) {
        host.adamW(step, theta, grad, m, v, n);
    }

    // ------------------------------------------------------------------------------------------------ randomness

    /** On the device, written where the next kernel reads it: the mask never crosses the bus. */
    @Override
    public synchronized void dropoutMask(long seed, long firstPosition, double p, float[] out, int outOff, int n) {
        arrays.beginCall();
        dropout.run(seed, firstPosition, p, out, outOff, n);
    }

    @Override
    public void dropoutMask(long seed, long firstPosition, double p, double[] out, int outOff, int n) {
        host.dropoutMask(seed, firstPosition, p, out, outOff, n);
    }

    // ------------------------------------------------------------------------------------------ gather / scatter

    @Override
    public synchronized void gatherRows(float[] table, int dim, int[] ids, int count, float[] out, int outOff) {
        arrays.beginCall();
        embedding.gather(table, dim, ids, count, out, outOff);
    }

    @Override
    public void gatherRows(double[] table, int dim, int[] ids, int count, double[] out, int outOff) {
        host.gatherRows(table, dim, ids, count, out, outOff);
    }

    @Override
    public synchronized void scatterAddRows(float[] src, int srcOff, int dim, int[] ids, int count, float[] table) {
        arrays.beginCall();
        embedding.scatterAdd(src, srcOff, dim, ids, count, table);
    }

    @Override
    public void scatterAddRows(double[] src, int srcOff, int dim, int[] ids, int count, double[] table) {
        host.scatterAddRows(src, srcOff, dim, ids, count, table);
    }

    /** Runs a float kernel on the host backend: its arrays are made host-current first, its output marked host-newer. */
    private void onHost(Runnable kernel, float[] out, float[]... inputs) {
        for (float[] input : inputs) arrays.toHost(input);
        arrays.toHost(out);
        kernel.run();
        arrays.hostWrote(out);
    }

    /** Frees the device memory and every kernel. */
    @Override
    public synchronized void close() {
        program.close();
    }
}
