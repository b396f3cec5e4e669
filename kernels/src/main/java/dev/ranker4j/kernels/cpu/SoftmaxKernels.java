package dev.ranker4j.kernels.cpu;

import static dev.ranker4j.kernels.cpu.VectorMath.F;

import dev.ranker4j.kernels.BinaryOp;
import dev.ranker4j.kernels.UnaryOp;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Row softmax / log-softmax with an optional additive mask, and their backward. Forward, per row:
 * <pre>
 *   z_j = x_j + mask_j                   (pass 1, written to out)   m = max_j z_j
 *   e_j = exp(z_j − m), s = Σ_j e_j       (pass 2, in place)
 *   y_j = e_j / s   or   (z_j − m) − ln s (pass 3, in place; m first, so no two huge numbers are subtracted)
 * </pre>
 * Bandwidth: about 3 reads and 2 writes of the row, but a 128–512 element attention row stays in L1 after pass 1,
 * so only x, mask and the final y touch memory; exp is the real cost (~10 flops per element).
 *
 * <p>F32 detail: a fully masked row with a large finite mask (−1e9, the usual padding value) would lose x entirely
 * in x + mask (ulp(1e9) = 64 in float). Shifting the mask row by its own maximum first leaves softmax unchanged
 * (softmax is shift-invariant) and keeps x, matching the double-precision reference. F64 has the precision to add
 * directly, exactly as the reference does.
 */
final class SoftmaxKernels {
    private SoftmaxKernels() {}

    static void softmaxRows(WorkSplit split, float[] x, int xOff, float[] mask, int maskOff, int maskRowRepeat,
                            int rows, int n, boolean log, float[] out, int outOff) {
        split.forRows(rows, 4L * n, (from, to) ->
                softmaxRowRange(x, xOff, mask, maskOff, maskRowRepeat, from, to, n, log, out, outOff));
    }

    /** Rows [from, to) of {@link #softmaxRows}, on the calling thread (the fused attention kernel runs it per head). */
    static void softmaxRowRange(float[] x, int xOff, float[] mask, int maskOff, int maskRowRepeat,
                                int from, int to, int n, boolean log, float[] out, int outOff) {
        int maskRow = -1;
        float maskShift = 0;
        for (int r = from; r < to; r++) {
            int xi = xOff + r * n, oi = outOff + r * n;
            int mi = maskOff + (r / maskRowRepeat) * n;
            if (mask != null && r / maskRowRepeat != maskRow) {
                maskRow = r / maskRowRepeat;
                maskShift = maskShift(mask, mi, n);
            }
            softmaxRow(x, xi, mask, mi, maskShift, n, log, out, oi);
        }
    }

    /** The shift {@link #softmaxRow} subtracts from a mask row: its maximum (see the class comment). */
    static float maskShift(float[] mask, int mi, int n) {
        return ReduceKernels.max(mask, mi, n);
    }

    /**
     * One row: out[oi : oi + n] = softmax (or log-softmax) of x[xi : xi + n] + (mask[mi : mi + n] − maskShift), the
     * mask being optional (null). x and out may be the same row. The fused attention kernels call it on rows of
     * their own buffers.
     */
    static void softmaxRow(float[] x, int xi, float[] mask, int mi, float maskShift, int n, boolean log,
                           float[] out, int oi) {
        float max = mask == null ? ReduceKernels.max(x, xi, n) : addShiftedMax(x, xi, mask, mi, maskShift, out, oi, n);
        if (mask == null && (x != out || xi != oi)) System.arraycopy(x, xi, out, oi, n);
        if (log) {
            float logSum = (float) Math.log(ReduceKernels.sumExpShifted(out, oi, n, max));
            subtractTwice(out, oi, n, max, logSum);
        } else {
            float sum = expShiftedInPlace(out, oi, n, max);
            UnaryKernels.apply(UnaryOp.MUL_SCALAR, 1.0 / sum, out, oi, out, oi, n);
        }
    }

    /** z_j ← (z_j − max) − logSum, in that order (as the reference). */
    private static void subtractTwice(float[] z, int start, int n, float max, float logSum) {
        int j = 0;
        for (int bound = F.loopBound(n); j < bound; j += F.length()) {
            FloatVector.fromArray(F, z, start + j).sub(max).sub(logSum).intoArray(z, start + j);
        }
        for (; j < n; j++) z[start + j] = (z[start + j] - max) - logSum;
    }

    /** out_j = x_j + (mask_j − shift); returns max_j out_j (one pass instead of an add pass and a max pass). */
    private static float addShiftedMax(float[] x, int xi, float[] mask, int mi, float shift, float[] out, int oi, int n) {
        FloatVector maxV = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        int j = 0;
        for (int bound = F.loopBound(n); j < bound; j += F.length()) {
            FloatVector m = FloatVector.fromArray(F, mask, mi + j).sub(shift);
            FloatVector z = FloatVector.fromArray(F, x, xi + j).add(m);
            z.intoArray(out, oi + j);
            maxV = maxV.max(z);
        }
        float max = maxV.reduceLanes(VectorOperators.MAX); // max is exact in any order (see LaneSums)
        for (; j < n; j++) {
            out[oi + j] = x[xi + j] + (mask[mi + j] - shift);
            max = Math.max(max, out[oi + j]);
        }
        return max;
    }

    /** z_j ← exp(z_j − shift) in place; returns Σ_j of the new values. */
    private static float expShiftedInPlace(float[] z, int start, int n, float shift) {
        FloatVector acc = FloatVector.zero(F);
        int j = 0;
        for (int bound = F.loopBound(n); j < bound; j += F.length()) {
            FloatVector e = VectorExpLog.exp(FloatVector.fromArray(F, z, start + j).sub(shift));
            e.intoArray(z, start + j);
            acc = acc.add(e);
        }
        float sum = LaneSums.sum(acc);
        for (; j < n; j++) {
            z[start + j] = (float) Math.exp(z[start + j] - shift);
            sum += z[start + j];
        }
        return sum;
    }

    // ---------------------------------------------------------------------------------------------- backward

    /**
     * softmax: dx = y ⊙ (dy − ⟨dy, y⟩); log-softmax: dx = dy − exp(y)·Σ dy. Two passes over three rows
     * (y, dy read twice, dx written once): memory-bound for long rows.
     */
    static void softmaxBackwardRows(WorkSplit split, float[] y, int yOff, float[] dy, int dyOff, int rows, int n,
                                    boolean log, float[] dx, int dxOff) {
        split.forRows(rows, 3L * n, (from, to) -> {
            for (int r = from; r < to; r++) {
                int yi = yOff + r * n, di = dyOff + r * n, oi = dxOff + r * n;
                int j = 0;
                if (log) {
                    float dySum = ReduceKernels.sum(dy, di, n);
                    for (int bound = F.loopBound(n); j < bound; j += F.length()) {
                        FloatVector softmax = VectorExpLog.exp(FloatVector.fromArray(F, y, yi + j));
                        FloatVector.fromArray(F, dy, di + j).sub(softmax.mul(dySum)).intoArray(dx, oi + j);
                    }
                    for (; j < n; j++) dx[oi + j] = dy[di + j] - (float) Math.exp(y[yi + j]) * dySum;
                } else {
                    softmaxBackwardRow(y, yi, dy, di, n, dx, oi);
                }
            }
        });
    }

    /**
     * One row of the softmax backward, dx = y ⊙ (dy − ⟨dy, y⟩), on the calling thread (the fused attention backward
     * runs it per head). dx may be dy itself: each element is read before it is written.
     */
    static void softmaxBackwardRow(float[] y, int yi, float[] dy, int di, int n, float[] dx, int oi) {
        float dot = ReduceKernels.dot(dy, di, y, yi, n);
        int j = 0;
        for (int bound = F.loopBound(n); j < bound; j += F.length()) {
            FloatVector.fromArray(F, dy, di + j).sub(dot).mul(FloatVector.fromArray(F, y, yi + j))
                    .intoArray(dx, oi + j);
        }
        for (; j < n; j++) dx[oi + j] = y[yi + j] * (dy[di + j] - dot);
    }

}
