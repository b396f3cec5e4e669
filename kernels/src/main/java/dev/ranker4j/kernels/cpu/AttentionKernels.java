package dev.ranker4j.kernels.cpu;

import dev.ranker4j.kernels.AttentionDropout;
import dev.ranker4j.kernels.AttentionInputs;
import dev.ranker4j.kernels.AttentionShape;
import dev.ranker4j.kernels.CounterRandom;
import dev.ranker4j.kernels.Matrix;

import jdk.incubator.vector.FloatVector;

/**
 * Fused scaled dot-product attention, float: {@link dev.ranker4j.kernels.Backend#attention}. Each (sequence, head)
 * pair is one task, run whole by one thread:
 * <pre>
 *   S = scale · Q Kᵀ        GEMM into a per-thread [seqQ, seqK] buffer (64 KiB at 128 tokens: stays in L2)
 *   P = softmax(S + mask)   row by row, in place
 *   P = P ⊙ M               with dropout: the head's mask rows drawn from the counter RNG, multiplied in place
 *   O = P V                 GEMM written straight into the merged [tokens, heads·d] output
 * </pre>
 * Against the unfused ops (a batched GEMM writing all B·H score matrices, a softmax pass, a second batched GEMM,
 * then a copy merging the heads): at batch 32, 12 heads, 128 tokens the scores are 25 MB, which the unfused path
 * writes, reads, writes and reads again through memory (~100 MB per layer) and the head merge copies 6 MB more.
 * Here the scores never leave the cache. The FLOPs (2 · 2·seqQ·seqK·d per head) are the same. Both products run on
 * {@link AttentionGemm} without packing: K is transposed once per head into padded rows (4 Ki values at 128 tokens,
 * d = 32), Q and P are read by broadcasts where they lie, and V's rows are read in place; at these sizes (depth 32)
 * packing each head's operands, as the general GEMM does, costs as much as the products. Its FMA order is the general
 * GEMM's for a depth up to 384, so the scores are the bits {@link CpuGemm#batchedGemm} would give.
 *
 * <p>The backward ({@link dev.ranker4j.kernels.Backend#attentionBackward}) is the same shape, one task per head on
 * per-thread buffers ({@link BackwardBuffers}):
 * <pre>
 *   P  = softmax(scale · Q Kᵀ + mask)      recomputed: the forward's FMA order and softmax, so the same bits
 *   M  = the forward's dropout mask        drawn again from the same counter positions (all ones without dropout)
 *   dV = (P ⊙ M)ᵀ dO
 *   dP = (dO Vᵀ) ⊙ M
 *   dS = P ⊙ (dP − rowsum(dP ⊙ P))          row by row, in place
 *   dQ = scale · dS K,   dK = scale · dSᵀ Q
 * </pre>
 * Five products of seqQ·seqK·d FMAs per head (2.6 M at 128 tokens, d = 32) on {@link AttentionGemm}, which needs no
 * packing: the head's Q, K and dO are copied once into padded rows and K, V transposed once (4 Ki values each), then
 * reused by the products. The unfused backward it replaces wrote P, dP and dS of all B·H heads to memory (25 MB
 * each at batch 32, 12 heads, 128 tokens), ran every step as a separate batched GEMM or row pass over them, then
 * copied the gradients back into the merged layout and concatenated the three. Here P and dS (128 KiB together)
 * stay in L2 and each gradient is written once, where it belongs. Each head's outputs are written by exactly one
 * task, in a fixed order: results do not depend on the thread count.
 *
 * <p>Dropout ({@link AttentionDropout}) costs one mask element per probability, forward and backward (about 0.3 ns
 * each with AVX-512, {@link DropoutKernels}), against the composed path's mask tensor, its product tensor and the
 * [batch, heads, seqQ, seqK] probabilities it must keep for the backward (25 MB each per layer at 32 × 128 tokens).
 * The mask element of (b, h, i, j) is the one the composed path's {@code SeededRandom.dropoutMask} draws for that
 * element, and P · M is the same float product, so both paths drop the same elements.
 */
final class AttentionKernels {
    private final Parallel parallel;
    private final ThreadLocal<ForwardBuffers> forwardBuffers = ThreadLocal.withInitial(ForwardBuffers::new);
    private final ThreadLocal<BackwardBuffers> backwardBuffers = ThreadLocal.withInitial(BackwardBuffers::new);

    AttentionKernels(Parallel parallel) {
        this.parallel = parallel;
    }

    void attention(AttentionShape shape, float scale, AttentionInputs in, AttentionDropout dropout, Matrix output) {
        int batch = shape.batch(), heads = shape.heads(), seqQ = shape.seqQ(), seqK = shape.seqK(), d = shape.d();
        if (batch < 0 || heads < 0 || seqQ < 0 || seqK < 0 || d < 0) {
            throw new IllegalArgumentException("attention: negative size " + shape);
        }
        int tasks = batch * heads;
        if (tasks == 0 || seqQ == 0 || d == 0) return;
        float[] q = in.q().data().floats(), k = in.k().data().floats(), v = in.v().data().floats();
        int qOff = in.q().offset(), qRowStride = in.q().ld(), kOff = in.k().offset(), kRowStride = in.k().ld();
        int vOff = in.v().offset(), vRowStride = in.v().ld();
        float[] mask = in.mask() == null ? null : in.mask().floats();
        int maskOff = in.mask() == null ? 0 : in.mask().offset();
        float[] out = output.data().floats();
        int outOff = output.offset(), outRowStride = output.ld();
        // Checked up front so that a bad layout fails here, naming the operand, not inside a worker thread.
        checkRows("attention", "q", q.length, qOff, qRowStride, batch * seqQ, heads * d);
        checkRows("attention", "k", k.length, kOff, kRowStride, batch * seqK, heads * d);
        checkRows("attention", "v", v.length, vOff, vRowStride, batch * seqK, heads * d);
        checkRows("attention", "out", out.length, outOff, outRowStride, batch * seqQ, heads * d);
        if (mask != null) checkRows("attention", "mask", mask.length, maskOff, seqK, batch, seqK);
        Drop drop = Drop.of(dropout);
        long fmasPerHead = 2L * seqQ * Math.max(seqK, 1) * d;
        int minTasks = (int) Math.max(1, Math.min(tasks, CpuGemm.MIN_FMAS_PER_TASK / fmasPerHead));
        // V is read and O written where they lie when whole column tiles cover a head (d = 32 or 64), else
        // through copies padded to whole column tiles, as in the backward.
        boolean inPlace = d % AttentionGemm.NR == 0;
        parallel.forRange(tasks, minTasks, (from, to) -> {
            ForwardBuffers w = forwardBuffers.get().sizedFor(seqQ, seqK, d);
            int skp = w.seqKPadded, dp = w.dPadded;
            for (int task = from; task < to; task++) {
                int b = task / heads, h = task % heads, col = h * d;
                int qAt = qOff + b * seqQ * qRowStride + col, kAt = kOff + b * seqK * kRowStride + col;
                int vAt = vOff + b * seqK * vRowStride + col, oAt = outOff + b * seqQ * outRowStride + col;
                // S = scale · Q Kᵀ: Kᵀ transposed once into padded rows, Q read where it lies by broadcasts
                transpose(k, kAt, kRowStride, seqK, d, w.kT, skp, w.rowOffsets);
                probabilities(shape, scale, q, qAt, qRowStride, w.kT, skp, mask, maskOff + b * seqK, w.s);
                if (drop != null) { // P ⊙ M in place, row by row: the mask of this head's positions
                    long first = dropout.headPosition(shape, b, h);
                    for (int row = 0; row < seqQ; row++) {
                        drop.mask(first + (long) row * seqK, w.dropRow, 0, seqK);
                        multiplyInPlace(w.s, row * skp, w.dropRow, 0, seqK);
                    }
                }
                // O = P V, written into the merged [tokens, heads·d] output
                if (inPlace) {
                    AttentionGemm.multiply(seqQ, d, seqK, 1f, w.s, 0, skp, 1, v, vAt, vRowStride, out, oAt, outRowStride);
                } else {
                    copyRows(v, vAt, vRowStride, seqK, d, w.v, 0, dp);
                    AttentionGemm.multiply(seqQ, dp, seqK, 1f, w.s, 0, skp, 1, w.v, 0, dp, w.out, 0, dp);
                    copyRows(w.out, 0, dp, seqQ, d, out, oAt, outRowStride);
                }
            }
        });
    }

    void attentionBackward(AttentionShape shape, float scale, AttentionInputs in, AttentionDropout dropout,
                           Matrix gradOut, Matrix gradQ, Matrix gradK, Matrix gradV) {
        int batch = shape.batch(), heads = shape.heads(), seqQ = shape.seqQ(), seqK = shape.seqK(), d = shape.d();
        if (batch < 0 || heads < 0 || seqQ < 0 || seqK < 0 || d < 0) {
            throw new IllegalArgumentException("attentionBackward: negative size " + shape);
        }
        int tasks = batch * heads;
        if (tasks == 0 || d == 0) return;
        float[] q = in.q().data().floats(), k = in.k().data().floats(), v = in.v().data().floats();
        int qOff = in.q().offset(), qRowStride = in.q().ld(), kOff = in.k().offset(), kRowStride = in.k().ld();
        int vOff = in.v().offset(), vRowStride = in.v().ld();
        float[] mask = in.mask() == null ? null : in.mask().floats();
        int maskOff = in.mask() == null ? 0 : in.mask().offset();
        float[] dOut = gradOut.data().floats(), dq = gradQ.data().floats(), dk = gradK.data().floats();
        float[] dv = gradV.data().floats();
        int dOutOff = gradOut.offset(), dOutRowStride = gradOut.ld(), dqOff = gradQ.offset(), dqRowStride = gradQ.ld();
        int dkOff = gradK.offset(), dkRowStride = gradK.ld(), dvOff = gradV.offset(), dvRowStride = gradV.ld();
        checkRows("attentionBackward", "q", q.length, qOff, qRowStride, batch * seqQ, heads * d);
        checkRows("attentionBackward", "k", k.length, kOff, kRowStride, batch * seqK, heads * d);
        checkRows("attentionBackward", "v", v.length, vOff, vRowStride, batch * seqK, heads * d);
        checkRows("attentionBackward", "dOut", dOut.length, dOutOff, dOutRowStride, batch * seqQ, heads * d);
        checkRows("attentionBackward", "dq", dq.length, dqOff, dqRowStride, batch * seqQ, heads * d);
        checkRows("attentionBackward", "dk", dk.length, dkOff, dkRowStride, batch * seqK, heads * d);
        checkRows("attentionBackward", "dv", dv.length, dvOff, dvRowStride, batch * seqK, heads * d);
        if (mask != null) checkRows("attentionBackward", "mask", mask.length, maskOff, seqK, batch, seqK);
        Drop drop = Drop.of(dropout);
        long fmasPerHead = 5L * Math.max(seqQ, 1) * Math.max(seqK, 1) * d;
        int minTasks = (int) Math.max(1, Math.min(tasks, CpuGemm.MIN_FMAS_PER_TASK / fmasPerHead));
        // When whole column tiles cover a head exactly (d = 32 or 64), Q, K and dO are read and dQ, dK, dV written
        // where they lie; otherwise through copies padded to whole column tiles. Same FMA chains either way.
        boolean inPlace = d % AttentionGemm.NR == 0;
        parallel.forRange(tasks, minTasks, (from, to) -> {
            BackwardBuffers w = backwardBuffers.get().sizedFor(seqQ, seqK, d);
            int skp = w.seqKPadded, dp = w.dPadded;
            int rowsQ = seqQ, rowsK = seqK, cols = inPlace ? d : dp;
            for (int task = from; task < to; task++) {
                int b = task / heads, col = (task % heads) * d;
                int qAt = qOff + b * seqQ * qRowStride + col, kAt = kOff + b * seqK * kRowStride + col;
                int vAt = vOff + b * seqK * vRowStride + col, gAt = dOutOff + b * seqQ * dOutRowStride + col;
                int dqAt = dqOff + b * seqQ * dqRowStride + col, dkAt = dkOff + b * seqK * dkRowStride + col;
                int dvAt = dvOff + b * seqK * dvRowStride + col;
                float[] qs = q, ks = k, gs = dOut;
                int qsAt = qAt, ksAt = kAt, gsAt = gAt, qsStride = qRowStride, ksStride = kRowStride, gsStride = dOutRowStride;
                if (!inPlace) { // padded copies of Q, K, dO
                    copyRows(q, qAt, qRowStride, seqQ, d, w.q, 0, dp);
                    copyRows(k, kAt, kRowStride, seqK, d, w.k, 0, dp);
                    copyRows(dOut, gAt, dOutRowStride, seqQ, d, w.dOut, 0, dp);
                    qs = w.q; ks = w.k; gs = w.dOut;
                    qsAt = ksAt = gsAt = 0;
                    qsStride = ksStride = gsStride = dp;
                }
                transpose(k, kAt, kRowStride, seqK, d, w.kT, skp, w.rowOffsets);
                transpose(v, vAt, vRowStride, seqK, d, w.vT, skp, w.rowOffsets);
                // P recomputed by the forward's own code: the same bits
                probabilities(shape, scale, qs, qsAt, qsStride, w.kT, skp, mask, maskOff + b * seqK, w.p);
                // With dropout: M drawn again from the forward's positions, and P ⊙ M (into dS for now) is what
                // multiplied V; dV takes it, and dP below is (dO Vᵀ) ⊙ M.
                float[] kept = w.p;
                if (drop != null) {
                    long first = dropout.headPosition(shape, b, task % heads);
                    for (int row = 0; row < seqQ; row++) {
                        drop.mask(first + (long) row * seqK, w.dropMask, row * skp, seqK);
                        multiply(w.p, row * skp, w.dropMask, row * skp, w.dS, row * skp, seqK);
                    }
                    kept = w.dS;
                }
                // dV = (P ⊙ M)ᵀ dO   (A = Pᵀ: P read with its two steps swapped)
                AttentionGemm.multiply(rowsK, cols, seqQ, 1f, kept, 0, 1, skp, gs, gsAt, gsStride,
                        inPlace ? dv : w.out, inPlace ? dvAt : 0, inPlace ? dvRowStride : dp);
                if (!inPlace) copyRows(w.out, 0, dp, seqK, d, dv, dvAt, dvRowStride);
                // dP = (dO Vᵀ) ⊙ M, then dS = P ⊙ (dP − rowsum(dP ⊙ P)) in place
                AttentionGemm.multiply(rowsQ, skp, d, 1f, gs, gsAt, gsStride, 1, w.vT, 0, skp, w.dS, 0, skp);
                for (int row = 0; row < seqQ; row++) {
                    if (drop != null) multiplyInPlace(w.dS, row * skp, w.dropMask, row * skp, seqK);
                    SoftmaxKernels.softmaxBackwardRow(w.p, row * skp, w.dS, row * skp, seqK, w.dS, row * skp);
                }
                // dQ = scale · dS K,  dK = scale · dSᵀ Q
                AttentionGemm.multiply(rowsQ, cols, seqK, scale, w.dS, 0, skp, 1, ks, ksAt, ksStride,
                        inPlace ? dq : w.out, inPlace ? dqAt : 0, inPlace ? dqRowStride : dp);
                if (!inPlace) copyRows(w.out, 0, dp, seqQ, d, dq, dqAt, dqRowStride);
                AttentionGemm.multiply(rowsK, cols, seqQ, scale, w.dS, 0, 1, skp, qs, qsAt, qsStride,
                        inPlace ? dk : w.out, inPlace ? dkAt : 0, inPlace ? dkRowStride : dp);
                if (!inPlace) copyRows(w.out, 0, dp, seqK, d, dk, dkAt, dkRowStride);
            }
        });
    }

    /**
     * P = softmax(scale · Q Kᵀ + mask) of one head into p, rows skp apart: Q[i, :] at q[qAt + i·qStride], Kᵀ in
     * padded rows of kT (skp apart), the sequence's mask row at mask[maskRow] (null: none). The forward and the
     * backward's recomputation both call it, so their P are the same bits by construction.
     */
    private static void probabilities(AttentionShape shape, float scale, float[] q, int qAt, int qStride, float[] kT,
                                      int skp, float[] mask, int maskRow, float[] p) {
        int seqQ = shape.seqQ(), seqK = shape.seqK();
        AttentionGemm.multiply(seqQ, skp, shape.d(), scale, q, qAt, qStride, 1, kT, 0, skp, p, 0, skp);
        float maskShift = mask == null ? 0f : SoftmaxKernels.maskShift(mask, maskRow, seqK);
        for (int row = 0; row < seqQ; row++) {
            SoftmaxKernels.softmaxRow(p, row * skp, mask, maskRow, maskShift, seqK, false, p, row * skp);
        }
    }

    /** x[xo + j] ⊙= m[mo + j] for j < n: the composed path's P · M, the same float product per element. */
    private static void multiplyInPlace(float[] x, int xo, float[] m, int mo, int n) {
        multiply(x, xo, m, mo, x, xo, n);
    }

    /** out[oo + j] = x[xo + j] · m[mo + j] for j < n. */
    private static void multiply(float[] x, int xo, float[] m, int mo, float[] out, int oo, int n) {
        int j = 0;
        for (int bound = VectorShape.SPECIES.loopBound(n); j < bound; j += VectorShape.LANES) {
            FloatVector.fromArray(VectorShape.SPECIES, x, xo + j)
                    .mul(FloatVector.fromArray(VectorShape.SPECIES, m, mo + j)).intoArray(out, oo + j);
        }
        for (; j < n; j++) out[oo + j] = x[xo + j] * m[mo + j];
    }

    /** An {@link AttentionDropout} prepared for {@link DropoutKernels#mask}: its mixed seed, threshold and kept value. */
    private record Drop(long mixedSeed, double p, long threshold, float kept) {
        static Drop of(AttentionDropout dropout) {
            if (dropout == null) return null;
            return new Drop(CounterRandom.streamSeed(dropout.seed()), dropout.p(),
                    CounterRandom.keepThreshold(dropout.p()), (float) CounterRandom.keptValue(dropout.p()));
        }

        /** out[oo + j] = the mask at position first + j, j < n. */
        void mask(long first, float[] out, int oo, int n) {
            DropoutKernels.mask(mixedSeed, first, p, threshold, kept, out, oo, n);
        }
    }

    /**
     * rows × width values from src (rows srcStride apart) to dst (rows dstStride apart). Vector copies: a head's
     * rows are short (d = 32: two vectors), where a System.arraycopy call per row costs more than the copy.
     */
    private static void copyRows(float[] src, int srcOff, int srcStride, int rows, int width,
                                 float[] dst, int dstOff, int dstStride) {
        int vectorEnd = VectorShape.SPECIES.loopBound(width);
        for (int r = 0; r < rows; r++) {
            int from = srcOff + r * srcStride, to = dstOff + r * dstStride;
            int j = 0;
            for (; j < vectorEnd; j += VectorShape.LANES) {
                FloatVector.fromArray(VectorShape.SPECIES, src, from + j).intoArray(dst, to + j);
            }
            for (; j < width; j++) dst[to + j] = src[from + j];
        }
    }

    /**
     * dst[p·ldt + j] = src[srcOff + j·srcStride + p] for j < rows, p < width: a [rows, width] block transposed.
     * Each run of LANES rows is read with one gather per column p (lane l at {@code rowOffsets[l] = l·srcStride}),
     * written as one contiguous vector.
     */
    private static void transpose(float[] src, int srcOff, int srcStride, int rows, int width, float[] dst, int ldt,
                                  int[] rowOffsets) {
        int lanes = VectorShape.LANES;
        for (int l = 0; l < lanes; l++) rowOffsets[l] = l * srcStride;
        int j = 0;
        for (; j + lanes <= rows; j += lanes) {
            int from = srcOff + j * srcStride;
            for (int p = 0; p < width; p++) {
                FloatVector.fromArray(VectorShape.SPECIES, src, from + p, rowOffsets, 0).intoArray(dst, p * ldt + j);
            }
        }
        for (; j < rows; j++) {
            int from = srcOff + j * srcStride;
            for (int p = 0; p < width; p++) dst[p * ldt + j] = src[from + p];
        }
    }

    /** One thread's buffers for the forward of one head, columns padded as {@link BackwardBuffers}' are. */
    private static final class ForwardBuffers {
        int seqKPadded, dPadded;
        float[] kT = new float[0], s = new float[0], v = new float[0], out = new float[0], dropRow = new float[0];
        final int[] rowOffsets = new int[VectorShape.LANES];

        ForwardBuffers sizedFor(int seqQ, int seqK, int d) {
            seqKPadded = AttentionGemm.padded(seqK);
            dPadded = AttentionGemm.padded(d);
            kT = BackwardBuffers.atLeast(kT, dPadded * seqKPadded);
            s = BackwardBuffers.atLeast(s, Math.max(seqQ, 1) * seqKPadded);
            v = BackwardBuffers.atLeast(v, seqKPadded * dPadded);
            out = BackwardBuffers.atLeast(out, Math.max(seqQ, 1) * dPadded);
            dropRow = BackwardBuffers.atLeast(dropRow, seqKPadded);
            return this;
        }
    }

    /**
     * One thread's buffers for the backward of one head, columns padded to {@link AttentionGemm}'s tile width.
     * Padding is never zeroed: every element the five products read as depth lies inside the real sizes, and the
     * products' padded rows and columns are never copied out.
     */
    private static final class BackwardBuffers {
        int seqQPadded, seqKPadded, dPadded;
        float[] q = new float[0], k = new float[0], dOut = new float[0], kT = new float[0], vT = new float[0];
        float[] p = new float[0], dS = new float[0], out = new float[0], dropMask = new float[0];
        /** Gather offsets of {@link #transpose}. */
        final int[] rowOffsets = new int[VectorShape.LANES];

        /** These buffers, grown when a longer sequence or wider head comes (never shrunk: sizes repeat). */
        BackwardBuffers sizedFor(int seqQ, int seqK, int d) {
            seqQPadded = AttentionGemm.padded(seqQ);
            seqKPadded = AttentionGemm.padded(seqK);
            dPadded = AttentionGemm.padded(d);
            q = atLeast(q, seqQPadded * dPadded);
            dOut = atLeast(dOut, seqQPadded * dPadded);
            k = atLeast(k, seqKPadded * dPadded);
            kT = atLeast(kT, dPadded * seqKPadded);
            vT = atLeast(vT, dPadded * seqKPadded);
            p = atLeast(p, seqQPadded * seqKPadded);
            dS = atLeast(dS, seqQPadded * seqKPadded);
            dropMask = atLeast(dropMask, seqQPadded * seqKPadded);
            out = atLeast(out, Math.max(seqQPadded, seqKPadded) * dPadded);
            return this;
        }

        private static float[] atLeast(float[] buffer, int size) {
            return buffer.length >= size ? buffer : new float[size];
        }
    }

    private static void checkRows(String op, String name, int length, int offset, int rowStride, int rows, int width) {
        if (offset < 0 || rowStride < width || (rows > 0 && width > 0 && offset + (long) (rows - 1) * rowStride + width > length)) {
            throw new IllegalArgumentException(op + ": " + name + " as " + rows + " rows of " + width
                    + " at offset " + offset + " with row stride " + rowStride + " does not fit its array of " + length);
        }
    }
}
