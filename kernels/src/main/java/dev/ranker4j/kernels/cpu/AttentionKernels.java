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
 */
final class AttentionKernels {
    private final Parallel parallel;
    private final ThreadLocal<GemmF32> gemm = ThreadLocal.withInitial(GemmF32::new);
    private final ThreadLocal<float[]> scores = ThreadLocal.withInitial(() -> new float[0]);

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
        checkRows("q", q.length, qOff, qRowStride, batch * seqQ, heads * d);
        checkRows("k", k.length, kOff, kRowStride, batch * seqK, heads * d);
        checkRows("v", v.length, vOff, vRowStride, batch * seqK, heads * d);
        checkRows("out", out.length, outOff, outRowStride, batch * seqQ, heads * d);
        if (mask != null) checkRows("mask", mask.length, maskOff, seqK, batch, seqK);
        long fmasPerHead = 2L * seqQ * Math.max(seqK, 1) * d;
        int minTasks = (int) Math.max(1, Math.min(tasks, CpuGemm.MIN_FMAS_PER_TASK / fmasPerHead));
        parallel.forRange(tasks, minTasks, (from, to) -> {
            GemmF32 kernel = gemm.get();
            float[] s = scoresBuffer(seqQ * seqK);
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

    /** This thread's score buffer, grown when a longer sequence comes (never shrunk: lengths repeat). */
    private float[] scoresBuffer(int size) {
        float[] s = scores.get();
        if (s.length < size) {
            s = new float[size];
            scores.set(s);
        }
        return s;
    }

    private static void checkRows(String name, int length, int offset, int rowStride, int rows, int width) {
        if (offset < 0 || rowStride < width || (rows > 0 && width > 0 && offset + (long) (rows - 1) * rowStride + width > length)) {
            throw new IllegalArgumentException("attention: " + name + " as " + rows + " rows of " + width
                    + " at offset " + offset + " with row stride " + rowStride + " does not fit its array of " + length);
        }
    }
}
