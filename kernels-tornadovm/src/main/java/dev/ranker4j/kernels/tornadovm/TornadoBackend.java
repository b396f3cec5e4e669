package dev.ranker4j.kernels.tornadovm;

import dev.ranker4j.kernels.AdamWStep;
import dev.ranker4j.kernels.ArrayRef;
import dev.ranker4j.kernels.AttentionDropout;
import dev.ranker4j.kernels.AttentionInputs;
import dev.ranker4j.kernels.AttentionShape;
import dev.ranker4j.kernels.Backend;
import dev.ranker4j.kernels.Backends;
import dev.ranker4j.kernels.BinaryOp;
import dev.ranker4j.kernels.DeviceBackend;
import dev.ranker4j.kernels.GemmShape;
import dev.ranker4j.kernels.LayerNormGrads;
import dev.ranker4j.kernels.LayerNormStats;
import dev.ranker4j.kernels.Matrix;
import dev.ranker4j.kernels.ReduceOp;
import dev.ranker4j.kernels.ReferenceBackend;
import dev.ranker4j.kernels.Strided;
import dev.ranker4j.kernels.UnaryOp;

/**
 * The {@link Backend} whose float kernels TornadoVM compiles for an OpenCL device (a GPU, or the CPU through PoCL).
 *
 * <p>Float32 runs on the device: each kernel lives in its own class ({@link GemmKernel}, {@link SoftmaxKernel},
 * {@link LayerNormKernel}, {@link RowReductionKernel}, {@link UnaryKernel}, {@link StridedKernel},
 * {@link EmbeddingKernel}, {@link AdamWKernel}, {@link DropoutKernel}) with the {@link ReferenceBackend} method it must match named in its Javadoc.
 * Float64 operands (gradient checks, references) go to a host backend, the CPU backend when one is installed (which
 * runs them on the reference loops) and the reference otherwise: devices without fp64 exist, and double precision is
 * for checking, not speed (the precision policy of {@link ArrayRef}).
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
    public synchronized void beforeHostAccess(float[] array) {
        arrays.toHost(array);
    }

    /** The host wrote {@code array}: the next kernel that reads it uploads it again. */
    @Override
    public synchronized void afterHostWrite(float[] array) {
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
    // F64 (gradient checks, references) runs on the host backend: the precision policy of ArrayRef.

    @Override
    public synchronized void gemm(GemmShape s, double alpha, Matrix a, Matrix b, double beta, Matrix c) {
        if (!c.data().isF32()) {
            host.gemm(s, alpha, a, b, beta, c);
            return;
        }
        arrays.beginCall();
        gemm.run(s.batch(), s.transA(), s.transB(), s.m(), s.n(), s.k(), (float) alpha, a.data().floats(), a.offset(),
                a.batchStride(), a.ld(), b.data().floats(), b.offset(), b.batchStride(), b.ld(), (float) beta,
                c.data().floats(), c.offset(), c.batchStride(), c.ld(), null, 0);
    }

    /** One launch: the bias row is added in the GEMM's write-back, and C is only written (never uploaded). */
    @Override
    public synchronized void gemmBias(GemmShape s, double alpha, Matrix a, Matrix b, Matrix c, ArrayRef bias) {
        if (!c.data().isF32()) {
            host.gemmBias(s, alpha, a, b, c, bias);
            return;
        }
        arrays.beginCall();
        gemm.run(1, s.transA(), s.transB(), s.m(), s.n(), s.k(), (float) alpha, a.data().floats(), a.offset(), 0, a.ld(),
                b.data().floats(), b.offset(), 0, b.ld(), 0f, c.data().floats(), c.offset(), 0, c.ld(), bias.floats(),
                bias.offset());
    }

    // ------------------------------------------------------------------------------------------------ elementwise

    /** On the device for the ops {@link UnaryKernel} implements; the others (SIN) run on the host. */
    @Override
    public synchronized void unary(UnaryOp op, double param, ArrayRef x, ArrayRef out, int n) {
        if (!x.isF32()) {
            host.unary(op, param, x, out, n);
        } else if (!UnaryKernel.supports(op)) {
            onHost(() -> host.unary(op, param, x, out, n), out.floats(), x.floats());
        } else {
            arrays.beginCall();
            unary.run(op, param, x.floats(), x.offset(), out.floats(), out.offset(), n);
        }
    }

    @Override
    public synchronized void binary(BinaryOp op, int[] shape, Strided a, Strided b, ArrayRef out) {
        if (!out.isF32()) {
            host.binary(op, shape, a, b, out);
        } else if (!StridedKernel.supports(shape)) {
            onHost(() -> host.binary(op, shape, a, b, out), out.floats(), a.data().floats(), b.data().floats());
        } else {
            arrays.beginCall();
            strided.binary(op, shape, a.data().floats(), a.offset(), a.strides(), b.data().floats(), b.offset(),
                    b.strides(), out.floats(), out.offset());
        }
    }

    @Override
    public synchronized void where(int[] shape, Strided cond, Strided a, Strided b, ArrayRef out) {
        if (!out.isF32()) {
            host.where(shape, cond, a, b, out);
        } else if (!StridedKernel.supports(shape)) {
            onHost(() -> host.where(shape, cond, a, b, out), out.floats(), cond.data().floats(), a.data().floats(),
                    b.data().floats());
        } else {
            arrays.beginCall();
            strided.where(shape, cond.data().floats(), cond.offset(), cond.strides(), a.data().floats(), a.offset(),
                    a.strides(), b.data().floats(), b.offset(), b.strides(), out.floats(), out.offset());
        }
    }

    @Override
    public synchronized void copy(int[] shape, Strided src, ArrayRef dst) {
        if (!dst.isF32()) {
            host.copy(shape, src, dst);
        } else if (!StridedKernel.supports(shape)) {
            onHost(() -> host.copy(shape, src, dst), dst.floats(), src.data().floats());
        } else {
            arrays.beginCall();
            strided.copy(shape, src.data().floats(), src.offset(), src.strides(), dst.floats(), dst.offset());
        }
    }

    // ------------------------------------------------------------------------------------------------- reductions

    @Override
    public synchronized void reduceRows(ReduceOp op, ArrayRef x, int rows, int n, ArrayRef out) {
        if (!x.isF32()) {
            host.reduceRows(op, x, rows, n, out);
            return;
        }
        arrays.beginCall();
        rowReductions.reduce(op, x.floats(), x.offset(), rows, n, out.floats(), out.offset());
    }

    @Override
    public synchronized void argmaxRows(ArrayRef x, int rows, int n, int[] out, int outOff) {
        if (!x.isF32()) {
            host.argmaxRows(x, rows, n, out, outOff);
            return;
        }
        arrays.beginCall();
        rowReductions.argmax(x.floats(), x.offset(), rows, n, out, outOff);
    }

    // ------------------------------------------------------------------------------------- fused row-wise kernels

    @Override
    public synchronized void softmaxRows(ArrayRef x, ArrayRef mask, int maskRowRepeat, int rows, int n, boolean log,
                                         ArrayRef out) {
        if (!x.isF32()) {
            host.softmaxRows(x, mask, maskRowRepeat, rows, n, log, out);
            return;
        }
        arrays.beginCall();
        softmax.forward(x.floats(), x.offset(), mask == null ? null : mask.floats(), mask == null ? 0 : mask.offset(),
                maskRowRepeat, rows, n, log, out.floats(), out.offset());
    }

    @Override
    public synchronized void softmaxBackwardRows(ArrayRef y, ArrayRef dy, int rows, int n, boolean log, ArrayRef dx) {
        if (!y.isF32()) {
            host.softmaxBackwardRows(y, dy, rows, n, log, dx);
            return;
        }
        arrays.beginCall();
        softmax.backward(y.floats(), y.offset(), dy.floats(), dy.offset(), rows, n, log, dx.floats(), dx.offset());
    }

    @Override
    public synchronized void layerNormRows(ArrayRef x, ArrayRef gamma, ArrayRef beta, double eps, int rows, int n,
                                           ArrayRef out, LayerNormStats stats) {
        if (!x.isF32()) {
            host.layerNormRows(x, gamma, beta, eps, rows, n, out, stats);
            return;
        }
        arrays.beginCall();
        layerNorm.forward(x.floats(), x.offset(), floatsOrNull(gamma), floatsOrNull(beta), (float) eps, rows, n,
                out.floats(), out.offset(), stats.mean().floats(), stats.rstd().floats());
    }

    @Override
    public synchronized void layerNormBackwardRows(ArrayRef x, ArrayRef gamma, LayerNormStats stats, ArrayRef dy,
                                                   int rows, int n, LayerNormGrads grads) {
        if (!x.isF32()) {
            host.layerNormBackwardRows(x, gamma, stats, dy, rows, n, grads);
            return;
        }
        arrays.beginCall();
        layerNorm.backward(x.floats(), x.offset(), floatsOrNull(gamma), stats.mean().floats(), stats.rstd().floats(),
                dy.floats(), dy.offset(), rows, n, grads.dx().floats(), grads.dx().offset(),
                floatsOrNull(grads.dGamma()), floatsOrNull(grads.dBeta()));
    }

    private static float[] floatsOrNull(ArrayRef ref) {
        return ref == null ? null : ref.floats();
    }

    // --------------------------------------------------------------------------------------------------- attention

    /**
     * Attention as three device launches per sequence instead of the {@link Backend} default's three per head: the
     * scores of all heads as one batched GEMM (head h's Q and K columns are d apart in the token rows, so the batch
     * stride is d), one softmax over all heads' rows with the sequence's mask row, and the context as one batched
     * GEMM written straight into the heads' columns of {@code out}. Scores and probabilities live in device scratch
     * and never become host arrays; the mask rows are shifted by their maxima once for all sequences (see
     * {@link SoftmaxKernel}). Reference: {@link dev.ranker4j.kernels.CompositeKernels#attention}, which
     * {@link ReferenceBackend} runs.
     *
     * <p>With dropout the composed path runs instead, on this backend's own kernels (GEMM, softmax, the device's
     * {@link DropoutKernel} at each head's counter positions, a multiply, GEMM): the same mask as the CPU's fused
     * kernel, bit for bit, and nothing crosses to the host. (The backward is always the composed default.)
     */
    @Override
    public synchronized void attention(AttentionShape shape, double scaleValue, AttentionInputs in,
                                       AttentionDropout dropout, Matrix output) {
        if (!output.data().isF32()) {
            host.attention(shape, scaleValue, in, dropout, output);
            return;
        }
        if (dropout != null) {
            dev.ranker4j.kernels.CompositeKernels.attention(this, shape, scaleValue, in, dropout, output);
            return;
        }
        int batch = shape.batch(), heads = shape.heads(), seqQ = shape.seqQ(), seqK = shape.seqK(), d = shape.d();
        float scale = (float) scaleValue;
        float[] q = in.q().data().floats(), k = in.k().data().floats(), v = in.v().data().floats();
        int qOff = in.q().offset(), qRowStride = in.q().ld(), kOff = in.k().offset(), kRowStride = in.k().ld();
        int vOff = in.v().offset(), vRowStride = in.v().ld();
        float[] mask = in.mask() == null ? null : in.mask().floats();
        int maskOff = in.mask() == null ? 0 : in.mask().offset();
        float[] out = output.data().floats();
        int outOff = output.offset(), outRowStride = output.ld();
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

    // ------------------------------------------------------------------------------------------------ optimizers

    /** On the device: weights, gradients and moments stay there (only the step's scalars cross). */
    @Override
    public synchronized void adamW(AdamWStep step, ArrayRef theta, ArrayRef grad, ArrayRef m, ArrayRef v, int n) {
        if (!theta.isF32() || theta.offset() != 0 || grad.offset() != 0 || m.offset() != 0 || v.offset() != 0) {
            host.adamW(step, theta, grad, m, v, n);
            return;
        }
        arrays.beginCall();
        adamW.run(step, theta.floats(), grad.floats(), m.floats(), v.floats(), n);
    }

    // ------------------------------------------------------------------------------------------------ randomness

    /** On the device, written where the next kernel reads it: the mask never crosses the bus. */
    @Override
    public synchronized void dropoutMask(long seed, long firstPosition, double p, ArrayRef out, int n) {
        if (!out.isF32()) {
            host.dropoutMask(seed, firstPosition, p, out, n);
            return;
        }
        arrays.beginCall();
        dropout.run(seed, firstPosition, p, out.floats(), out.offset(), n);
    }

    // ------------------------------------------------------------------------------------------ gather / scatter

    @Override
    public synchronized void gatherRows(ArrayRef table, int dim, int[] ids, int count, ArrayRef out) {
        if (!table.isF32()) {
            host.gatherRows(table, dim, ids, count, out);
            return;
        }
        arrays.beginCall();
        embedding.gather(table.floats(), dim, ids, count, out.floats(), out.offset());
    }

    @Override
    public synchronized void scatterAddRows(ArrayRef src, int dim, int[] ids, int count, ArrayRef table) {
        if (!table.isF32()) {
            host.scatterAddRows(src, dim, ids, count, table);
            return;
        }
        arrays.beginCall();
        embedding.scatterAdd(src.floats(), src.offset(), dim, ids, count, table.floats());
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
