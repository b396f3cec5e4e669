package dev.ranker4j.kernels.cpu;

import static dev.ranker4j.kernels.cpu.VectorMath.F;

import dev.ranker4j.kernels.ReduceOp;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Row reductions and argmax. Each row is reduced by one thread with vector accumulators (lane-wise partial results
 * folded at the end, so F32 sums are far more accurate than one running float) — rows are split across threads,
 * a row never is, so results do not depend on the thread count. Also the row helpers the fused row kernels share.
 *
 * <p>Bandwidth: one read of 4 bytes per float and a single vector add: memory-bound (~2.5 G floats/s per core).
 */
final class ReduceKernels {
    private ReduceKernels() {}

    static void reduceRows(WorkSplit split, ReduceOp op, float[] x, int xOff, int rows, int n, float[] out, int outOff) {
        split.forRows(rows, n, (from, to) -> {
            for (int r = from; r < to; r++) out[outOff + r] = reduceRow(op, x, xOff + r * n, n);
        });
    }

    private static float reduceRow(ReduceOp op, float[] x, int start, int n) {
        return switch (op) {
            case SUM -> sum(x, start, n);
            case MEAN -> sum(x, start, n) / n;
            case MAX -> max(x, start, n);
            case MIN -> min(x, start, n);
            case LOG_SUM_EXP -> {
                float max = max(x, start, n);
                if (max == Float.NEGATIVE_INFINITY) yield max; // every element -inf: the sum of exps is 0
                yield max + (float) Math.log(sumExpShifted(x, start, n, max));
            }
        };
    }

    // ------------------------------------------------------------------------------------ row helpers, float

    static float sum(float[] x, int start, int n) {
        FloatVector acc = FloatVector.zero(F);
        int j = 0;
        for (int bound = F.loopBound(n); j < bound; j += F.length()) acc = acc.add(FloatVector.fromArray(F, x, start + j));
        float sum = LaneSums.sum(acc);
        for (; j < n; j++) sum += x[start + j];
        return sum;
    }

    static float max(float[] x, int start, int n) {
        FloatVector acc = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        int j = 0;
        for (int bound = F.loopBound(n); j < bound; j += F.length()) acc = acc.max(FloatVector.fromArray(F, x, start + j));
        float max = acc.reduceLanes(VectorOperators.MAX);
        for (; j < n; j++) max = Math.max(max, x[start + j]);
        return max;
    }

    static float min(float[] x, int start, int n) {
        FloatVector acc = FloatVector.broadcast(F, Float.POSITIVE_INFINITY);
        int j = 0;
        for (int bound = F.loopBound(n); j < bound; j += F.length()) acc = acc.min(FloatVector.fromArray(F, x, start + j));
        float min = acc.reduceLanes(VectorOperators.MIN);
        for (; j < n; j++) min = Math.min(min, x[start + j]);
        return min;
    }

    /** Σ exp(x_j − shift). */
    static float sumExpShifted(float[] x, int start, int n, float shift) {
        FloatVector acc = FloatVector.zero(F);
        int j = 0;
        for (int bound = F.loopBound(n); j < bound; j += F.length()) {
            acc = acc.add(VectorExpLog.exp(FloatVector.fromArray(F, x, start + j).sub(shift)));
        }
        float sum = LaneSums.sum(acc);
        for (; j < n; j++) sum += (float) Math.exp(x[start + j] - shift);
        return sum;
    }

    /** Σ a_j·b_j. */
    static float dot(float[] a, int aStart, float[] b, int bStart, int n) {
        FloatVector acc = FloatVector.zero(F);
        int j = 0;
        for (int bound = F.loopBound(n); j < bound; j += F.length()) {
            acc = FloatVector.fromArray(F, a, aStart + j).fma(FloatVector.fromArray(F, b, bStart + j), acc);
        }
        float sum = LaneSums.sum(acc);
        for (; j < n; j++) sum += a[aStart + j] * b[bStart + j];
        return sum;
    }

    // ----------------------------------------------------------------------------------- row helpers, double

    // ------------------------------------------------------------------------------------------------ argmax

    /**
     * First index of the row maximum: a vector max, then a vector search for the first lane equal to it. A NaN
     * anywhere would make the max NaN and match nothing; such rows take the reference's scalar scan (which skips NaN).
     */
    static void argmaxRows(WorkSplit split, float[] x, int xOff, int rows, int n, int[] out, int outOff) {
        split.forRows(rows, n, (from, to) -> {
            for (int r = from; r < to; r++) {
                int start = xOff + r * n;
                float max = max(x, start, n);
                int best = -1, j = 0;
                for (int bound = F.loopBound(n); j < bound && best < 0; j += F.length()) {
                    int lane = FloatVector.fromArray(F, x, start + j).compare(VectorOperators.EQ, max).firstTrue();
                    if (lane < F.length()) best = j + lane;
                }
                for (; j < n && best < 0; j++) if (x[start + j] == max) best = j;
                if (best < 0) { // NaN present: scan like the reference
                    best = 0;
                    for (int k = 1; k < n; k++) if (x[start + k] > x[start + best]) best = k;
                }
                out[outOff + r] = best;
            }
        });
    }

}
