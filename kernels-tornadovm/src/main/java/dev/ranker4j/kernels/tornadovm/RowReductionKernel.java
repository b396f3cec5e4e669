package dev.ranker4j.kernels.tornadovm;

import java.util.List;

import dev.ranker4j.kernels.ReduceOp;
import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.WorkerGrid1D;
import uk.ac.manchester.tornado.api.math.TornadoMath;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/**
 * Reductions over each row of a [rows, n] block (sum, mean, max, min, log-sum-exp) and the row argmax, on the device.
 *
 * <p>One work group per row, two-phase (private partials, then {@link GroupReduction}). The reduce kernel computes
 * sum, max and min in one pass and Σ exp(x − max) in a second, whatever the op, so every barrier is reached by the
 * whole group; the op only chooses which result is stored. logsumexp = max + log Σ exp(x − max), and −∞ for a row
 * of −∞ (as the reference). Argmax keeps the first index on ties: partials walk j upwards and the combination
 * prefers the lower index. Reference: {@link dev.ranker4j.kernels.ReferenceBackend#reduceRows}, {@code argmaxRows}.
 */
final class RowReductionKernel implements AutoCloseable {
    static final int GROUP = 64;
    static final int N = 0, OP = 1, PARAMS = 2;

    public static void reduce(KernelContext context, IntArray p, FloatArray x, FloatArray out) {
        int n = p.get(N);
        int op = p.get(OP);
        int row = context.groupIdx;
        int item = context.localIdx;
        float[] partial = context.allocateFloatLocalArray(GROUP);

        float sum = 0.0f;
        float max = Float.NEGATIVE_INFINITY;
        float min = Float.POSITIVE_INFINITY;
        for (int j = item; j < n; j += GROUP) {
            float v = x.get(row * n + j);
            sum += v;
            max = TornadoMath.max(max, v);
            min = TornadoMath.min(min, v);
        }
        float rowSum = GroupReduction.sum(context, partial, item, GROUP, sum);
        float rowMax = GroupReduction.max(context, partial, item, GROUP, max);
        float rowMin = GroupReduction.min(context, partial, item, GROUP, min);

        float exps = 0.0f;
        for (int j = item; j < n; j += GROUP) {
            exps += TornadoMath.exp(x.get(row * n + j) - rowMax);
        }
        float rowExps = GroupReduction.sum(context, partial, item, GROUP, exps);

        if (item == 0) {
            float result = rowSum;                          // 0: SUM
            if (op == 1) {
                result = rowSum / n;                        // MEAN
            } else if (op == 2) {
                result = rowMax;                            // MAX
            } else if (op == 3) {
                result = rowMin;                            // MIN
            } else if (op == 4) {
                result = rowMax;                            // LOG_SUM_EXP (−∞ stays −∞)
                if (rowMax != Float.NEGATIVE_INFINITY) {
                    result = rowMax + TornadoMath.log(rowExps);
                }
            }
            out.set(row, result);
        }
    }

    /** out[row] = the first index of the row's maximum, as a float (exact below 2²⁴ columns). */
    public static void argmax(KernelContext context, IntArray p, FloatArray x, FloatArray out) {
        int n = p.get(N);
        int row = context.groupIdx;
        int item = context.localIdx;
        float[] values = context.allocateFloatLocalArray(GROUP);
        int[] indices = context.allocateIntLocalArray(GROUP);

        float best = Float.NEGATIVE_INFINITY;
        int bestIndex = n;                                  // n = "none yet": loses every tie
        for (int j = item; j < n; j += GROUP) {
            float v = x.get(row * n + j);
            if (v > best || bestIndex == n) {
                best = v;
                bestIndex = j;
            }
        }
        values[item] = best;
        indices[item] = bestIndex;
        for (int stride = GROUP / 2; stride > 0; stride /= 2) {
            context.localBarrier();
            if (item < stride) {
                float other = values[item + stride];
                int otherIndex = indices[item + stride];
                boolean takeOther = otherIndex < n
                        && (indices[item] == n || other > values[item] || other == values[item] && otherIndex < indices[item]);
                if (takeOther) {
                    values[item] = other;
                    indices[item] = otherIndex;
                }
            }
        }
        context.localBarrier();
        if (item == 0) {
            out.set(row, indices[0]);
        }
    }

    private final IntArray reduceParams = new IntArray(PARAMS);
    private final IntArray argmaxParams = new IntArray(PARAMS);
    private final StagedPlan reducePlan;
    private final StagedPlan argmaxPlan;

    RowReductionKernel(TransferStats stats) {
        reducePlan = new StagedPlan(2, s -> new DevicePlan("reduceRows", new WorkerGrid1D(GROUP), stats, List.of(),
                List.of(reduceParams, s[0]), List.of(s[1]),
                g -> g.task(DevicePlan.TASK, RowReductionKernel::reduce, new KernelContext(), reduceParams, s[0], s[1])));
        argmaxPlan = new StagedPlan(2, s -> new DevicePlan("argmaxRows", new WorkerGrid1D(GROUP), stats, List.of(),
                List.of(argmaxParams, s[0]), List.of(s[1]),
                g -> g.task(DevicePlan.TASK, RowReductionKernel::argmax, new KernelContext(), argmaxParams, s[0], s[1])));
    }

    void reduce(ReduceOp op, float[] x, int xOff, int rows, int n, float[] out, int outOff) {
        if (rows == 0) return;
        var s = reducePlan.ensure(Math.max(1, rows * n), rows);
        Staging.put(x, xOff, s[0], 0, rows * n);
        Staging.put(new int[]{n, op.ordinal()}, 0, reduceParams, 0, PARAMS);
        reducePlan.plan().launch((long) rows * GROUP, 1, 1, GROUP, 1, 1);
        Staging.get(s[1], 0, out, outOff, rows);
    }

    void argmax(float[] x, int xOff, int rows, int n, int[] out, int outOff) {
        if (rows == 0) return;
        var s = argmaxPlan.ensure(Math.max(1, rows * n), rows);
        Staging.put(x, xOff, s[0], 0, rows * n);
        Staging.put(new int[]{n, 0}, 0, argmaxParams, 0, PARAMS);
        argmaxPlan.plan().launch((long) rows * GROUP, 1, 1, GROUP, 1, 1);
        for (int r = 0; r < rows; r++) out[outOff + r] = (int) s[1].get(r);
    }

    @Override
    public void close() {
        reducePlan.close();
        argmaxPlan.close();
    }
}
