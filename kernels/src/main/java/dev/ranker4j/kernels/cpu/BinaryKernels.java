package dev.ranker4j.kernels.cpu;

import static dev.ranker4j.kernels.cpu.VectorMath.F;

import dev.ranker4j.kernels.BinaryOp;
import dev.ranker4j.kernels.ScalarMath;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Broadcasting binary ops and {@code where}. The index space is first simplified by {@link IndexSpace}; then each
 * row runs a vector loop when every input's inner stride is 0 or 1, which covers the common cases in one place:
 * both contiguous (one long row), bias add ([rows, n] + [n]: inner strides 1 and 1, the bias's outer stride 0),
 * scalar broadcast (inner stride 0: one value broadcast to all lanes), and row broadcast ([rows, n] · [rows, 1]:
 * inner stride 0, outer stride 1). Any other inner stride (a transposed operand, say) takes the scalar loop.
 *
 * <p>Bandwidth: a contiguous F32 add moves 12 bytes per element (two reads, one write) for one flop, so it is
 * memory-bound at roughly 10 GB/s ÷ 12 B ≈ 0.8 G elements/s per core; a broadcast input costs nothing once in cache.
 */
final class BinaryKernels {
    private BinaryKernels() {}

    // ------------------------------------------------------------------------------------------------ binary

    static void binary(WorkSplit split, BinaryOp op, int[] shape, float[] a, int aOff, int[] aStrides,
                       float[] b, int bOff, int[] bStrides, float[] out, int outOff) {
        IndexSpace space = IndexSpace.of("binary " + op, shape, aStrides, bStrides);
        int len = space.rowLength(), as = space.innerStride(0), bs = space.innerStride(1);
        space.forRowBlocks(split, new int[]{aOff, bOff}, (walker, row, from, to) ->
                row(op, a, walker.position(0) + from * as, as, b, walker.position(1) + from * bs, bs,
                        out, outOff + row * len + from, to - from));
    }

    /** A[i·as], B[i·bs] with as, bs ∈ {0, 1}: a contiguous stretch, or one value broadcast to every lane. */
    private static FloatVector load(float[] x, int at, int stride) {
        return stride == 0 ? FloatVector.broadcast(F, x[at]) : FloatVector.fromArray(F, x, at);
    }

    private static boolean vectorizable(int aStride, int bStride) {
        return (aStride == 0 || aStride == 1) && (bStride == 0 || bStride == 1);
    }

    /** out[i] = op(a[ai + i·as], b[bi + i·bs]) for i in [0, n). */
    static void row(BinaryOp op, float[] a, int ai, int as, float[] b, int bi, int bs, float[] out, int oi, int n) {
        final int step = F.length(), bound = vectorizable(as, bs) ? F.loopBound(n) : 0;
        int i = 0;
        switch (op) {
            case ADD -> { for (; i < bound; i += step) load(a, ai + i * as, as).add(load(b, bi + i * bs, bs)).intoArray(out, oi + i); }
            case SUB -> { for (; i < bound; i += step) load(a, ai + i * as, as).sub(load(b, bi + i * bs, bs)).intoArray(out, oi + i); }
            case MUL -> { for (; i < bound; i += step) load(a, ai + i * as, as).mul(load(b, bi + i * bs, bs)).intoArray(out, oi + i); }
            case DIV -> { for (; i < bound; i += step) load(a, ai + i * as, as).div(load(b, bi + i * bs, bs)).intoArray(out, oi + i); }
            case MAX -> { for (; i < bound; i += step) load(a, ai + i * as, as).max(load(b, bi + i * bs, bs)).intoArray(out, oi + i); }
            case MIN -> { for (; i < bound; i += step) load(a, ai + i * as, as).min(load(b, bi + i * bs, bs)).intoArray(out, oi + i); }
            case POW -> { } // scalar Math.pow: lanewise POW is not reproducible (see VectorExpLog)
            case EQ -> { for (; i < bound; i += step) compare(VectorOperators.EQ, load(a, ai + i * as, as), load(b, bi + i * bs, bs)).intoArray(out, oi + i); }
            case NE -> { for (; i < bound; i += step) compare(VectorOperators.NE, load(a, ai + i * as, as), load(b, bi + i * bs, bs)).intoArray(out, oi + i); }
            case LT -> { for (; i < bound; i += step) compare(VectorOperators.LT, load(a, ai + i * as, as), load(b, bi + i * bs, bs)).intoArray(out, oi + i); }
            case LE -> { for (; i < bound; i += step) compare(VectorOperators.LE, load(a, ai + i * as, as), load(b, bi + i * bs, bs)).intoArray(out, oi + i); }
            case GT -> { for (; i < bound; i += step) compare(VectorOperators.GT, load(a, ai + i * as, as), load(b, bi + i * bs, bs)).intoArray(out, oi + i); }
            case GE -> { for (; i < bound; i += step) compare(VectorOperators.GE, load(a, ai + i * as, as), load(b, bi + i * bs, bs)).intoArray(out, oi + i); }
        }
        for (; i < n; i++) out[oi + i] = (float) ScalarMath.apply(op, a[ai + i * as], b[bi + i * bs]);
    }

    /** 1 where the comparison holds, else 0 (NE is true for NaN, the others false, as Java's operators). */
    private static FloatVector compare(VectorOperators.Comparison test, FloatVector a, FloatVector b) {
        return FloatVector.zero(F).blend(1f, a.compare(test, b));
    }

    // ------------------------------------------------------------------------------------------------- where

    static void where(WorkSplit split, int[] shape, float[] cond, int condOff, int[] condStrides,
                      float[] a, int aOff, int[] aStrides, float[] b, int bOff, int[] bStrides, float[] out, int outOff) {
        IndexSpace space = IndexSpace.of("where", shape, condStrides, aStrides, bStrides);
        int len = space.rowLength(), cs = space.innerStride(0), as = space.innerStride(1), bs = space.innerStride(2);
        space.forRowBlocks(split, new int[]{condOff, aOff, bOff}, (walker, row, from, to) -> {
            int ci = walker.position(0) + from * cs, ai = walker.position(1) + from * as;
            int bi = walker.position(2) + from * bs, oi = outOff + row * len + from, n = to - from;
            int i = 0;
            if (vectorizable(cs, as) && (bs == 0 || bs == 1)) {
                for (int bound = F.loopBound(n); i < bound; i += F.length()) {
                    load(b, bi + i * bs, bs).blend(load(a, ai + i * as, as),
                            load(cond, ci + i * cs, cs).compare(VectorOperators.NE, 0f)).intoArray(out, oi + i);
                }
            }
            for (; i < n; i++) out[oi + i] = cond[ci + i * cs] != 0 ? a[ai + i * as] : b[bi + i * bs];
        });
    }

}
