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
final class RowReductionKernel {
    static final int GROUP = 64;
    static final int X_AT = 0, OUT_AT = 1, N = 2, OP = 3, PARAMS = 4;

    public static void reduce(KernelContext context, IntArray p, FloatArray mem) {
        int n = p.get(N);
        int op = p.get(OP);
        int row = context.groupIdx;
        int x = p.get(X_AT) + row * n;
        int item = context.localIdx;
        float[] partial = context.allocateFloatLocalArray(GROUP);

        float sum = 0.0f;
        float max = Float.NEGATIVE_INFINITY;
        float min = Float.POSITIVE_INFINITY;
        for (int j = item; j < n; j += GROUP) {
            float v = mem.get(x + j);
            sum += v;
            max = TornadoMath.max(max, v);
            min = TornadoMath.min(min, v);
        }
        float rowSum = GroupReduction.sum(context, partial, item, GROUP, sum);
        float rowMax = GroupReduction.max(context, partial, item, GROUP, max);
        float rowMin = GroupReduction.min(context, partial, item, GROUP, min);

        float exps = 0.0f;
        for (int j = item; j < n; j += GROUP) {
            exps += TornadoMath.exp(mem.get(x + j) - rowMax);
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
            mem.set(p.get(OUT_AT) + row, result);
        }
    }

    /** out[row] = the first index of the row's maximum, as a float (exact below 2²⁴ columns). */
    public static void argmax(KernelContext context, IntArray p, FloatArray mem) {
        int n = p.get(N);
        int row = context.groupIdx;
        int x = p.get(X_AT) + row * n;
        int item = context.localIdx;
        float[] values = context.allocateFloatLocalArray(GROUP);
        int[] indices = context.allocateIntLocalArray(GROUP);

        float best = Float.NEGATIVE_INFINITY;
        int bestIndex = n;                                  // n = "none yet": loses every tie
        for (int j = item; j < n; j += GROUP) {
            float v = mem.get(x + j);
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
            mem.set(p.get(OUT_AT) + row, indices[0]);
        }
    }

    private final DeviceArrays arrays;
    private final TransferKernels transfers;
    private final DeviceProgram.Kernel reduce, argmax;

    RowReductionKernel(DeviceProgram program, DeviceArrays arrays, TransferKernels transfers) {
        this.arrays = arrays;
        this.transfers = transfers;
        reduce = program.kernel("reduceRows", new WorkerGrid1D(GROUP), PARAMS, 0, List.of(), List.of(),
                (g, p, s, m) -> g.task(DeviceProgram.TASK, RowReductionKernel::reduce, new KernelContext(), p, m));
        argmax = program.kernel("argmaxRows", new WorkerGrid1D(GROUP), PARAMS, 0, List.of(), List.of(),
                (g, p, s, m) -> g.task(DeviceProgram.TASK, RowReductionKernel::argmax, new KernelContext(), p, m));
    }

    void reduce(ReduceOp op, float[] x, int xOff, int rows, int n, float[] out, int outOff) {
        if (rows == 0) return;
        int xAt = arrays.read(x) + xOff;
        int outAt = arrays.write(out, outOff, outOff + rows) + outOff;
        reduce.params(xAt, outAt, n, op.ordinal());
        reduce.launch((long) rows * GROUP, 1, 1, GROUP, 1, 1);
    }

    /** The indices are Java ints the host reads at once, so they are downloaded (through a float scratch row). */
    void argmax(float[] x, int xOff, int rows, int n, int[] out, int outOff) {
        if (rows == 0) return;
        int xAt = arrays.read(x) + xOff;
        int scratch = arrays.scratch(rows);
        try {
            argmax.params(xAt, scratch, n, 0);
            argmax.launch((long) rows * GROUP, 1, 1, GROUP, 1, 1);
            float[] indices = new float[rows];
            transfers.download(scratch, rows, indices, 0);
            for (int r = 0; r < rows; r++) out[outOff + r] = (int) indices[r];
        } finally {
            arrays.freeScratch(scratch, rows);
        }
    }
}
