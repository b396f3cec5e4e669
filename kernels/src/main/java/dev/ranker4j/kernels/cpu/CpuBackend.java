package dev.ranker4j.kernels.cpu;

import dev.ranker4j.kernels.ArrayRef;
import dev.ranker4j.kernels.AttentionDropout;
import dev.ranker4j.kernels.AttentionInputs;
import dev.ranker4j.kernels.AttentionShape;
import dev.ranker4j.kernels.Backend;
import dev.ranker4j.kernels.BinaryOp;
import dev.ranker4j.kernels.GemmShape;
import dev.ranker4j.kernels.LayerNormGrads;
import dev.ranker4j.kernels.LayerNormStats;
import dev.ranker4j.kernels.Matrix;
import dev.ranker4j.kernels.ReduceOp;
import dev.ranker4j.kernels.ReferenceBackend;
import dev.ranker4j.kernels.Strided;
import dev.ranker4j.kernels.UnaryOp;

/**
 * The fast CPU backend: Vector API SIMD ({@code SPECIES_PREFERRED}: AVX-512 where the machine has it) and a fixed
 * pool of worker threads, for F32. This class only dispatches; each kernel family lives in its own file with its
 * bandwidth arithmetic: {@link UnaryKernels}, {@link UnaryBackwardKernels}, {@link BinaryKernels} (binary, where),
 * {@link CopyKernels}, {@link ReduceKernels} (reduceRows, argmaxRows), {@link SoftmaxKernels}, {@link LayerNormKernels},
 * {@link GatherScatterKernels}, {@link DropoutKernels}, {@link AttentionKernels} and the GEMM ({@link CpuGemm}).
 *
 * <p>The precision policy: F32 is the fast path; F64 operands (gradient checks, references) run on the
 * {@link ReferenceBackend}'s loops, so no kernel here has a hand-kept double twin.
 *
 * <p>Every kernel is checked against its scalar twin in {@link ReferenceBackend} by the jqwik properties in the
 * test tree. Results never depend on the thread count (see {@link WorkSplit}).
 */
public final class CpuBackend implements Backend, AutoCloseable {
    /** Where F64 runs. */
    private static final Backend F64 = new ReferenceBackend();

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

    private static float[] f(ArrayRef ref) {
        return ref == null ? null : ref.floats();
    }

    private static int off(ArrayRef ref) {
        return ref == null ? 0 : ref.offset();
    }

    // ---------------------------------------------------------------------------------------------- matrix products

    @Override
    public void gemm(GemmShape s, double alpha, Matrix a, Matrix b, double beta, Matrix c) {
        if (!c.data().isF32()) {
            F64.gemm(s, alpha, a, b, beta, c);
        } else if (s.batch() == 1) {
            gemm.gemm(s.transA(), s.transB(), s.m(), s.n(), s.k(), (float) alpha, f(a.data()), a.offset(), a.ld(),
                    f(b.data()), b.offset(), b.ld(), (float) beta, f(c.data()), c.offset(), c.ld());
        } else {
            gemm.batchedGemm(s.batch(), s.transA(), s.transB(), s.m(), s.n(), s.k(), (float) alpha,
                    f(a.data()), a.offset(), a.batchStride(), a.ld(), f(b.data()), b.offset(), b.batchStride(), b.ld(),
                    (float) beta, f(c.data()), c.offset(), c.batchStride(), c.ld());
        }
    }

    /** The bias is added in the GEMM's write-back: one pass over C instead of the default's two. */
    @Override
    public void gemmBias(GemmShape s, double alpha, Matrix a, Matrix b, Matrix c, ArrayRef bias) {
        if (!c.data().isF32()) {
            F64.gemmBias(s, alpha, a, b, c, bias);
            return;
        }
        if (s.batch() != 1) throw new IllegalArgumentException("gemmBias: one product at a time, got " + s);
        gemm.gemmBias(s.transA(), s.transB(), s.m(), s.n(), s.k(), (float) alpha, f(a.data()), a.offset(), a.ld(),
                f(b.data()), b.offset(), b.ld(), 0f, f(c.data()), c.offset(), c.ld(), f(bias), bias.offset());
    }

    /** The activation runs on each block of C right after the GEMM finishes it (see {@link CpuGemm#gemmBias}). */
    @Override
    public void gemmBiasActivation(GemmShape s, double alpha, Matrix a, Matrix b, Matrix c, ArrayRef bias,
                                   UnaryOp activation) {
        if (!c.data().isF32()) {
            F64.gemmBiasActivation(s, alpha, a, b, c, bias, activation);
            return;
        }
        if (s.batch() != 1) throw new IllegalArgumentException("gemmBiasActivation: one product at a time, got " + s);
        gemm.gemmBias(s.transA(), s.transB(), s.m(), s.n(), s.k(), (float) alpha, f(a.data()), a.offset(), a.ld(),
                f(b.data()), b.offset(), b.ld(), 0f, f(c.data()), c.offset(), c.ld(),
                bias == null ? null : f(bias), bias == null ? 0 : bias.offset(), activation);
    }

    /**
     * One (sequence, head) per task with its scores kept in cache, the dropout mask drawn into them in place; see
     * {@link AttentionKernels}.
     */
    @Override
    public void attention(AttentionShape s, double scale, AttentionInputs in, AttentionDropout dropout, Matrix out) {
        if (!out.data().isF32()) {
            F64.attention(s, scale, in, dropout, out);
            return;
        }
        attention.attention(s, (float) scale, in, dropout, out);
    }

    /** The forward's twin: one (sequence, head) per task with P and dP kept in cache; see {@link AttentionKernels}. */
    @Override
    public void attentionBackward(AttentionShape s, double scale, AttentionInputs in, AttentionDropout dropout,
                                  Matrix dOut, Matrix dq, Matrix dk, Matrix dv) {
        if (!dOut.data().isF32()) {
            F64.attentionBackward(s, scale, in, dropout, dOut, dq, dk, dv);
            return;
        }
        attention.attentionBackward(s, (float) scale, in, dropout, dOut, dq, dk, dv);
    }

    // ------------------------------------------------------------------------------------------------ elementwise

    @Override
    public void unary(UnaryOp op, double param, ArrayRef x, ArrayRef out, int n) {
        if (!x.isF32()) F64.unary(op, param, x, out, n);
        else UnaryKernels.unary(split, op, param, f(x), x.offset(), f(out), out.offset(), n);
    }

    /** One fused pass for the ops in {@link UnaryBackwardKernels#FUSED}; the composed default for the rest. */
    @Override
    public void unaryBackward(UnaryOp op, double param, ArrayRef x, ArrayRef dy, ArrayRef dx, int n) {
        if (!x.isF32()) {
            F64.unaryBackward(op, param, x, dy, dx, n);
        } else if (UnaryBackwardKernels.FUSED.contains(op)) {
            UnaryBackwardKernels.backward(split, op, f(x), x.offset(), f(dy), dy.offset(), f(dx), dx.offset(), n);
        } else {
            Backend.super.unaryBackward(op, param, x, dy, dx, n);
        }
    }

    @Override
    public void binary(BinaryOp op, int[] shape, Strided a, Strided b, ArrayRef out) {
        if (!out.isF32()) F64.binary(op, shape, a, b, out);
        else BinaryKernels.binary(split, op, shape, f(a.data()), a.offset(), a.strides(), f(b.data()), b.offset(),
                b.strides(), f(out), out.offset());
    }

    @Override
    public void where(int[] shape, Strided cond, Strided a, Strided b, ArrayRef out) {
        if (!out.isF32()) F64.where(shape, cond, a, b, out);
        else BinaryKernels.where(split, shape, f(cond.data()), cond.offset(), cond.strides(), f(a.data()), a.offset(),
                a.strides(), f(b.data()), b.offset(), b.strides(), f(out), out.offset());
    }

    @Override
    public void copy(int[] shape, Strided src, ArrayRef dst) {
        if (!dst.isF32()) F64.copy(shape, src, dst);
        else CopyKernels.copy(split, shape, f(src.data()), src.offset(), src.strides(), f(dst), dst.offset());
    }

    // ------------------------------------------------------------------------------------------------- reductions

    @Override
    public void reduceRows(ReduceOp op, ArrayRef x, int rows, int n, ArrayRef out) {
        if (!x.isF32()) F64.reduceRows(op, x, rows, n, out);
        else ReduceKernels.reduceRows(split, op, f(x), x.offset(), rows, n, f(out), out.offset());
    }

    @Override
    public void argmaxRows(ArrayRef x, int rows, int n, int[] out, int outOff) {
        if (!x.isF32()) F64.argmaxRows(x, rows, n, out, outOff);
        else ReduceKernels.argmaxRows(split, f(x), x.offset(), rows, n, out, outOff);
    }

    // ------------------------------------------------------------------------------------- fused row-wise kernels

    @Override
    public void softmaxRows(ArrayRef x, ArrayRef mask, int maskRowRepeat, int rows, int n, boolean log, ArrayRef out) {
        if (!x.isF32()) F64.softmaxRows(x, mask, maskRowRepeat, rows, n, log, out);
        else SoftmaxKernels.softmaxRows(split, f(x), x.offset(), f(mask), off(mask), maskRowRepeat, rows, n, log,
                f(out), out.offset());
    }

    @Override
    public void softmaxBackwardRows(ArrayRef y, ArrayRef dy, int rows, int n, boolean log, ArrayRef dx) {
        if (!y.isF32()) F64.softmaxBackwardRows(y, dy, rows, n, log, dx);
        else SoftmaxKernels.softmaxBackwardRows(split, f(y), y.offset(), f(dy), dy.offset(), rows, n, log, f(dx),
                dx.offset());
    }

    @Override
    public void layerNormRows(ArrayRef x, ArrayRef gamma, ArrayRef beta, double eps, int rows, int n, ArrayRef out,
                              LayerNormStats stats) {
        if (!x.isF32()) F64.layerNormRows(x, gamma, beta, eps, rows, n, out, stats);
        else LayerNormKernels.layerNormRows(split, x, gamma, beta, (float) eps, rows, n, out, stats);
    }

    @Override
    public void layerNormBackwardRows(ArrayRef x, ArrayRef gamma, LayerNormStats stats, ArrayRef dy, int rows, int n,
                                      LayerNormGrads grads) {
        if (!x.isF32()) F64.layerNormBackwardRows(x, gamma, stats, dy, rows, n, grads);
        else LayerNormKernels.layerNormBackwardRows(split, x, gamma, stats, dy, rows, n, grads);
    }

    // ------------------------------------------------------------------------------------------------ randomness

    /** One SplitMix64 position per long lane; see {@link DropoutKernels}. */
    @Override
    public void dropoutMask(long seed, long firstPosition, double p, ArrayRef out, int n) {
        if (!out.isF32()) F64.dropoutMask(seed, firstPosition, p, out, n);
        else DropoutKernels.dropoutMask(split, seed, firstPosition, p, f(out), out.offset(), n);
    }

    // ------------------------------------------------------------------------------------------ gather / scatter

    @Override
    public void gatherRows(ArrayRef table, int dim, int[] ids, int count, ArrayRef out) {
        if (!table.isF32()) F64.gatherRows(table, dim, ids, count, out);
        else GatherScatterKernels.gatherRows(split, f(table), dim, ids, count, f(out), out.offset());
    }

    @Override
    public void scatterAddRows(ArrayRef src, int dim, int[] ids, int count, ArrayRef table) {
        if (!table.isF32()) F64.scatterAddRows(src, dim, ids, count, table);
        else GatherScatterKernels.scatterAddRows(split, f(src), src.offset(), dim, ids, count, f(table));
    }
}
