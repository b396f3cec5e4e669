package dev.ranker4j.kernels.cpu;

import static dev.ranker4j.kernels.cpu.VectorMath.D;
import static dev.ranker4j.kernels.cpu.VectorMath.F;

import dev.ranker4j.kernels.ReduceOp;
import jdk.incubator.vector.DoubleVector;
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

    static void reduceRows(WorkSplit split, ReduceOp op, double[] x, int xOff, int rows, int n, double[] out, int outOff) {
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

    private static double reduceRow(ReduceOp op, double[] x, int start, int n) {
        return switch (op) {
            case SUM -> sum(x, start, n);
            case MEAN -> sum(x, start, n) / n;
            case MAX -> max(x, start, n);
            case MIN -> min(x, start, n);
            case LOG_SUM_EXP -> {
                double max = max(x, start, n);
                if (max == Double.NEGATIVE_INFINITY) yield max;
                yield max + Math.log(sumExpShifted(x, start, n, max));
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

    static double sum(double[] x, int start, int n) {
        DoubleVector acc = DoubleVector.zero(D);
        int j = 0;
        for (int bound = D.loopBound(n); j < bound; j += D.length()) acc = acc.add(DoubleVector.fromArray(D, x, start + j));
        double sum = LaneSums.sum(acc);
        for (; j < n; j++) sum += x[start + j];
        return sum;
    }

    static double max(double[] x, int start, int n) {
        DoubleVector acc = DoubleVector.broadcast(D, Double.NEGATIVE_INFINITY);
        int j = 0;
        for (int bound = D.loopBound(n); j < bound; j += D.length()) acc = acc.max(DoubleVector.fromArray(D, x, start + j));
        double max = acc.reduceLanes(VectorOperators.MAX);
        for (; j < n; j++) max = Math.max(max, x[start + j]);
        return max;
    }

    static double min(double[] x, int start, int n) {
        DoubleVector acc = DoubleVector.broadcast(D, Double.POSITIVE_INFINITY);
        int j = 0;
        for (int bound = D.loopBound(n); j < bound; j += D.length()) acc = acc.min(DoubleVector.fromArray(D, x, start + j));
        double min = acc.reduceLanes(VectorOperators.MIN);
        for (; j < n; j++) min = Math.min(min, x[start + j]);
        return min;
    }

    static double sumExpShifted(double[] x, int start, int n, double shift) {
        DoubleVector acc = DoubleVector.zero(D);
        int j = 0;
        for (int bound = D.loopBound(n); j < bound; j += D.length()) {
            acc = acc.add(VectorExpLog.exp(DoubleVector.fromArray(D, x, start + j).sub(shift)));
        }
        double sum = LaneSums.sum(acc);
        for (; j < n; j++) sum += Math.exp(x[start + j] - shift);
        return sum;
    }

    static double dot(double[] a, int aStart, double[] b, int bStart, int n) {
        DoubleVector acc = DoubleVector.zero(D);
        int j = 0;
        for (int bound = D.loopBound(n); j < bound; j += D.length()) {
            acc = DoubleVector.fromArray(D, a, aStart + j).fma(DoubleVector.fromArray(D, b, bStart + j), acc);
        }
        double sum = LaneSums.sum(acc);
        for (; j < n; j++) sum += a[aStart + j] * b[bStart + j];
        return sum;
    }

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

    static void argmaxRows(WorkSplit split, double[] x, int xOff, int rows, int n, int[] out, int outOff) {
        split.forRows(rows, n, (from, to) -> {
            for (int r = from; r < to; r++) {
                int start = xOff + r * n;
                double max = max(x, start, n);
                int best = -1, j = 0;
                for (int bound = D.loopBound(n); j < bound && best < 0; j += D.length()) {
                    int lane = DoubleVector.fromArray(D, x, start + j).compare(VectorOperators.EQ, max).firstTrue();
                    if (lane < D.length()) best = j + lane;
                }
                for (; j < n && best < 0; j++) if (x[start + j] == max) best = j;
                if (best < 0) {
                    best = 0;
                    for (int k = 1; k < n; k++) if (x[start + k] > x[start + best]) best = k;
                }
                out[outOff + r] = best;
            }
        });
    }
}
