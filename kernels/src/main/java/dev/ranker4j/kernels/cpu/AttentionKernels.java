package dev.ranker4j.kernels.cpu;

/**
 * Fused scaled dot-product attention, float: {@link dev.ranker4j.kernels.Backend#attention}. Each (sequence, head)
 * pair is one task, run whole by one thread:
 * <pre>
 *   S = scale · Q Kᵀ        GEMM into a per-thread [seqQ, seqK] buffer (64 KiB at 128 tokens: stays in L2)
 *   P = softmax(S + mask)   row by row, in place
 *   O = P V                 GEMM written straight into the merged [tokens, heads·d] output
 * </pre>
 * Against the unfused ops (a batched GEMM writing all B·H score matrices, a softmax pass, a second batched GEMM,
 * then a copy merging the heads): at batch 32, 12 heads, 128 tokens the scores are 25 MB, which the unfused path
 * writes, reads, writes and reads again through memory (~100 MB per layer) and the head merge copies 6 MB more.
 * Here the scores never leave the cache. The FLOPs (2 · 2·seqQ·seqK·d per head) are the same; each GEMM runs on the
 * thread's own {@link GemmF32} instance exactly as one matrix of {@link CpuGemm#batchedGemm} does.
 *
 * <p>The backward ({@link dev.ranker4j.kernels.Backend#attentionBackward}) is the same shape, one task per head
 * with two per-thread [seqQ, seqK] buffers, P and dP (then dS in place):
 * <pre>
 *   P  = softmax(scale · Q Kᵀ + mask)      recomputed with the forward's own GEMM and softmax: the same bits
 *   dV = Pᵀ dO                              GEMM (P packed transposed) straight into dV's rows
 *   dP = dO Vᵀ
 *   dS = P ⊙ (dP − rowsum(dP ⊙ P))          row by row, in place
 *   dQ = scale · dS K,   dK = scale · dSᵀ Q  two GEMMs straight into dQ's and dK's rows
 * </pre>
 * Five GEMMs of seqQ·seqK·d FMAs per head (2.6 M at 128 tokens, d = 32). The unfused backward it replaces wrote P,
 * dP and dS for all B·H heads to memory (25 MB each at batch 32, 12 heads, 128 tokens), ran each step as a
 * separate batched GEMM or row pass over them, then copied the per-head gradients back into the merged layout and
 * concatenated the three. Here P and dP (128 KiB together) stay in L2 and every gradient is written once, where it
 * belongs. Each head's outputs are written by exactly one task, in a fixed order: results do not depend on the
 * thread count.
 */
final class AttentionKernels {
    private final Parallel parallel;
    private final ThreadLocal<GemmF32> gemm = ThreadLocal.withInitial(GemmF32::new);
    private final ThreadLocal<float[]> scores = ThreadLocal.withInitial(() -> new float[0]);
    /** The backward's second per-thread buffer: dP, then dS. */
    private final ThreadLocal<float[]> scoreGradients = ThreadLocal.withInitial(() -> new float[0]);

    AttentionKernels(Parallel parallel) {
        this.parallel = parallel;
    }

    void attention(int batch, int heads, int seqQ, int seqK, int d, float scale,
                   float[] q, int qOff, int qRowStride, float[] k, int kOff, int kRowStride,
                   float[] v, int vOff, int vRowStride, float[] mask, int maskOff,
                   float[] out, int outOff, int outRowStride) {
        if (batch < 0 || heads < 0 || seqQ < 0 || seqK < 0 || d < 0) {
            throw new IllegalArgumentException("attention: negative size batch=" + batch + ", heads=" + heads
                    + ", seqQ=" + seqQ + ", seqK=" + seqK + ", d=" + d);
        }
        int tasks = batch * heads;
        if (tasks == 0 || seqQ == 0 || d == 0) return;
        // Checked up front so that a bad layout fails here, naming the operand, not inside a worker thread.
        checkRows("attention", "q", q.length, qOff, qRowStride, batch * seqQ, heads * d);
        checkRows("attention", "k", k.length, kOff, kRowStride, batch * seqK, heads * d);
        checkRows("attention", "v", v.length, vOff, vRowStride, batch * seqK, heads * d);
        checkRows("attention", "out", out.length, outOff, outRowStride, batch * seqQ, heads * d);
        if (mask != null) checkRows("attention", "mask", mask.length, maskOff, seqK, batch, seqK);
        long fmasPerHead = 2L * seqQ * Math.max(seqK, 1) * d;
        int minTasks = (int) Math.max(1, Math.min(tasks, CpuGemm.MIN_FMAS_PER_TASK / fmasPerHead));
        parallel.forRange(tasks, minTasks, (from, to) -> {
            GemmF32 kernel = gemm.get();
            float[] s = threadBuffer(scores, seqQ * seqK);
            try {
                for (int task = from; task < to; task++) {
                    int b = task / heads, h = task % heads;
                    kernel.bind(false, true, scale, q, qOff + b * seqQ * qRowStride + h * d, qRowStride,
                            k, kOff + b * seqK * kRowStride + h * d, kRowStride, 0f, s, 0, seqK, null, 0);
                    kernel.run(0, seqQ, 0, seqK, d);
                    SoftmaxKernels.softmaxRowRange(s, 0, mask, maskOff + b * seqK, Math.max(seqQ, 1), 0, seqQ, seqK,
                            false, s, 0);
                    kernel.bind(false, false, 1f, s, 0, seqK, v, vOff + b * seqK * vRowStride + h * d, vRowStride,
                            0f, out, outOff + b * seqQ * outRowStride + h * d, outRowStride, null, 0);
                    kernel.run(0, seqQ, 0, d, seqK);
                }
            } finally {
                kernel.unbind();
            }
        });
    }

    void attentionBackward(int batch, int heads, int seqQ, int seqK, int d, float scale,
                           float[] q, int qOff, int qRowStride, float[] k, int kOff, int kRowStride,
                           float[] v, int vOff, int vRowStride, float[] mask, int maskOff,
                           float[] dOut, int dOutOff, int dOutRowStride,
                           float[] dq, int dqOff, int dqRowStride, float[] dk, int dkOff, int dkRowStride,
                           float[] dv, int dvOff, int dvRowStride) {
        if (batch < 0 || heads < 0 || seqQ < 0 || seqK < 0 || d < 0) {
            throw new IllegalArgumentException("attentionBackward: negative size batch=" + batch + ", heads=" + heads
                    + ", seqQ=" + seqQ + ", seqK=" + seqK + ", d=" + d);
        }
        int tasks = batch * heads;
        if (tasks == 0 || d == 0) return;
        checkRows("attentionBackward", "q", q.length, qOff, qRowStride, batch * seqQ, heads * d);
        checkRows("attentionBackward", "k", k.length, kOff, kRowStride, batch * seqK, heads * d);
        checkRows("attentionBackward", "v", v.length, vOff, vRowStride, batch * seqK, heads * d);
        checkRows("attentionBackward", "dOut", dOut.length, dOutOff, dOutRowStride, batch * seqQ, heads * d);
        checkRows("attentionBackward", "dq", dq.length, dqOff, dqRowStride, batch * seqQ, heads * d);
        checkRows("attentionBackward", "dk", dk.length, dkOff, dkRowStride, batch * seqK, heads * d);
        checkRows("attentionBackward", "dv", dv.length, dvOff, dvRowStride, batch * seqK, heads * d);
        if (mask != null) checkRows("attentionBackward", "mask", mask.length, maskOff, seqK, batch, seqK);
        long fmasPerHead = 5L * Math.max(seqQ, 1) * Math.max(seqK, 1) * d;
        int minTasks = (int) Math.max(1, Math.min(tasks, CpuGemm.MIN_FMAS_PER_TASK / fmasPerHead));
        parallel.forRange(tasks, minTasks, (from, to) -> {
            GemmF32 kernel = gemm.get();
            float[] p = threadBuffer(scores, seqQ * seqK), ds = threadBuffer(scoreGradients, seqQ * seqK);
            try {
                for (int task = from; task < to; task++) {
                    int b = task / heads, col = (task % heads) * d;
                    int qAt = qOff + b * seqQ * qRowStride + col, kAt = kOff + b * seqK * kRowStride + col;
                    int vAt = vOff + b * seqK * vRowStride + col, gAt = dOutOff + b * seqQ * dOutRowStride + col;
                    // P, exactly as the forward made it
                    kernel.bind(false, true, scale, q, qAt, qRowStride, k, kAt, kRowStride, 0f, p, 0, seqK, null, 0);
                    kernel.run(0, seqQ, 0, seqK, d);
                    SoftmaxKernels.softmaxRowRange(p, 0, mask, maskOff + b * seqK, Math.max(seqQ, 1), 0, seqQ, seqK,
                            false, p, 0);
                    // dV = Pᵀ dO
                    kernel.bind(true, false, 1f, p, 0, seqK, dOut, gAt, dOutRowStride,
                            0f, dv, dvOff + b * seqK * dvRowStride + col, dvRowStride, null, 0);
                    kernel.run(0, seqK, 0, d, seqQ);
                    // dP = dO Vᵀ, then dS = P ⊙ (dP − rowsum(dP ⊙ P)) in place
                    kernel.bind(false, true, 1f, dOut, gAt, dOutRowStride, v, vAt, vRowStride, 0f, ds, 0, seqK, null, 0);
                    kernel.run(0, seqQ, 0, seqK, d);
                    for (int row = 0; row < seqQ; row++) {
                        SoftmaxKernels.softmaxBackwardRow(p, row * seqK, ds, row * seqK, seqK, ds, row * seqK);
                    }
                    // dQ = scale · dS K,  dK = scale · dSᵀ Q
                    kernel.bind(false, false, scale, ds, 0, seqK, k, kAt, kRowStride,
                            0f, dq, dqOff + b * seqQ * dqRowStride + col, dqRowStride, null, 0);
                    kernel.run(0, seqQ, 0, d, seqK);
                    kernel.bind(true, false, scale, ds, 0, seqK, q, qAt, qRowStride,
                            0f, dk, dkOff + b * seqK * dkRowStride + col, dkRowStride, null, 0);
                    kernel.run(0, seqK, 0, d, seqQ);
                }
            } finally {
                kernel.unbind();
            }
        });
    }

    /** This thread's buffer of {@code buffer}, grown when a longer sequence comes (never shrunk: lengths repeat). */
    private static float[] threadBuffer(ThreadLocal<float[]> buffer, int size) {
        float[] s = buffer.get();
        if (s.length < size) {
            s = new float[size];
            buffer.set(s);
        }
        return s;
    }

    private static void checkRows(String op, String name, int length, int offset, int rowStride, int rows, int width) {
        if (offset < 0 || rowStride < width || (rows > 0 && width > 0 && offset + (long) (rows - 1) * rowStride + width > length)) {
            throw new IllegalArgumentException(op + ": " + name + " as " + rows + " rows of " + width
                    + " at offset " + offset + " with row stride " + rowStride + " does not fit its array of " + length);
        }
    }
}
