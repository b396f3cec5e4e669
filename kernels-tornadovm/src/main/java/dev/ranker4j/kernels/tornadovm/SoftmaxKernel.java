package dev.ranker4j.kernels.tornadovm;

import java.util.List;

import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.WorkerGrid1D;
import uk.ac.manchester.tornado.api.math.TornadoMath;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/**
 * Row softmax (or log-softmax) with an optional additive mask, and its backward, on the device.
 *
 * <p>One work group of {@link #GROUP} items per row. Each reduction is two-phase: every item folds the elements
 * j ≡ its index (mod GROUP) into a private partial, then {@link GroupReduction} combines the partials in local
 * memory. No float atomics (OpenCL 1.2 has none) and a fixed combination order, so results are deterministic.
 * <pre>
 *   forward:  v_j = x_j + mask_j;  y_j = exp(v_j − max v − log Σ exp(v − max v))   (log: without the exp)
 *   backward: dx_j = y_j (dy_j − Σ dy·y)                                            (log: dy_j − exp(y_j) Σ dy)
 * </pre>
 * The host stages each mask row minus its own maximum, as the CPU kernel shifts it: softmax ignores a shift of the
 * row, and without it a fully masked row (every mask −10000, or −1e9) would compute x_j − 10000 in float, whose
 * spacing there (about 1e-3) wipes out the differences of x that the double-precision reference keeps. The shift is
 * done on the host because the device compiler, under TornadoVM's {@code -cl-fast-relaxed-math}, may reassociate
 * x + (mask − max) back into (x + mask) − max.
 * Reference: {@link dev.ranker4j.kernels.ReferenceBackend#softmaxRows} and {@code softmaxBackwardRows}.
 */
final class SoftmaxKernel implements AutoCloseable {
    static final int GROUP = 64;
    static final int N = 0, MASK_REPEAT = 1, HAS_MASK = 2, LOG = 3, PARAMS = 4;

    public static void forward(KernelContext context, IntArray p, FloatArray x, FloatArray mask, FloatArray out) {
        int n = p.get(N);
        int row = context.groupIdx;
        int item = context.localIdx;
        int maskRow = (row / p.get(MASK_REPEAT)) * n;
        int hasMask = p.get(HAS_MASK);
        float[] partial = context.allocateFloatLocalArray(GROUP);

        float max = Float.NEGATIVE_INFINITY;
        for (int j = item; j < n; j += GROUP) {
            float v = x.get(row * n + j);
            if (hasMask == 1) {
                v += mask.get(maskRow + j);
            }
            max = TornadoMath.max(max, v);
        }
        float rowMax = GroupReduction.max(context, partial, item, GROUP, max);

        float sum = 0.0f;
        for (int j = item; j < n; j += GROUP) {
            float v = x.get(row * n + j);
            if (hasMask == 1) {
                v += mask.get(maskRow + j);
            }
            sum += TornadoMath.exp(v - rowMax);
        }
        float logSumExp = rowMax + TornadoMath.log(GroupReduction.sum(context, partial, item, GROUP, sum));

        for (int j = item; j < n; j += GROUP) {
            float v = x.get(row * n + j);
            if (hasMask == 1) {
                v += mask.get(maskRow + j);
            }
            float logProbability = v - logSumExp;
            if (p.get(LOG) == 1) {
                out.set(row * n + j, logProbability);
            } else {
                out.set(row * n + j, TornadoMath.exp(logProbability));
            }
        }
    }

    public static void backward(KernelContext context, IntArray p, FloatArray y, FloatArray dy, FloatArray dx) {
        int n = p.get(N);
        int row = context.groupIdx;
        int item = context.localIdx;
        int log = p.get(LOG);
        float[] partial = context.allocateFloatLocalArray(GROUP);

        // Σ dy (log-softmax) or Σ dy·y (softmax).
        float sum = 0.0f;
        for (int j = item; j < n; j += GROUP) {
            if (log == 1) {
                sum += dy.get(row * n + j);
            } else {
                sum += dy.get(row * n + j) * y.get(row * n + j);
            }
        }
        float total = GroupReduction.sum(context, partial, item, GROUP, sum);

        for (int j = item; j < n; j += GROUP) {
            int at = row * n + j;
            if (log == 1) {
                dx.set(at, dy.get(at) - TornadoMath.exp(y.get(at)) * total);
            } else {
                dx.set(at, y.get(at) * (dy.get(at) - total));
            }
        }
    }

    private final IntArray forwardParams = new IntArray(PARAMS);
    private final IntArray backwardParams = new IntArray(PARAMS);
    private final StagedPlan forwardPlan;
    private final StagedPlan backwardPlan;

    SoftmaxKernel(TransferStats stats) {
        forwardPlan = new StagedPlan(3, s -> new DevicePlan("softmax", new WorkerGrid1D(GROUP), stats, List.of(),
                List.of(forwardParams, s[0], s[1]), List.of(s[2]),
                g -> g.task(DevicePlan.TASK, SoftmaxKernel::forward, new KernelContext(), forwardParams, s[0], s[1], s[2])));
        backwardPlan = new StagedPlan(3, s -> new DevicePlan("softmaxBackward", new WorkerGrid1D(GROUP), stats,
                List.of(), List.of(backwardParams, s[0], s[1]), List.of(s[2]),
                g -> g.task(DevicePlan.TASK, SoftmaxKernel::backward, new KernelContext(), backwardParams, s[0], s[1], s[2])));
    }

    void forward(float[] x, int xOff, float[] mask, int maskOff, int maskRowRepeat, int rows, int n, boolean log,
                 float[] out, int outOff) {
        if (rows == 0 || n == 0) return;
        int size = rows * n;
        int maskSize = mask == null ? 1 : ((rows - 1) / maskRowRepeat + 1) * n;
        var s = forwardPlan.ensure(size, maskSize, size);
        Staging.put(x, xOff, s[0], 0, size);
        if (mask != null) Staging.put(maskRowsShiftedByTheirMax(mask, maskOff, maskSize / n, n), 0, s[1], 0, maskSize);
        Staging.put(new int[]{n, maskRowRepeat, mask == null ? 0 : 1, log ? 1 : 0}, 0, forwardParams, 0, PARAMS);
        forwardPlan.plan().launch((long) rows * GROUP, 1, 1, GROUP, 1, 1);
        Staging.get(s[2], 0, out, outOff, size);
    }

    /** The {@code maskRows} rows of the mask, each minus its maximum (a row that is −∞ everywhere stays as is). */
    private static float[] maskRowsShiftedByTheirMax(float[] mask, int maskOff, int maskRows, int n) {
        float[] shifted = new float[maskRows * n];
        for (int r = 0; r < maskRows; r++) {
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < n; j++) {
                float value = mask[maskOff + r * n + j];
                if (value > max) max = value; // a NaN stays where it is instead of spreading over the row
            }
            if (max == Float.NEGATIVE_INFINITY) max = 0;
            for (int j = 0; j < n; j++) shifted[r * n + j] = mask[maskOff + r * n + j] - max;
        }
        return shifted;
    }

    void backward(float[] y, int yOff, float[] dy, int dyOff, int rows, int n, boolean log, float[] dx, int dxOff) {
        if (rows == 0 || n == 0) return;
        int size = rows * n;
        var s = backwardPlan.ensure(size, size, size);
        Staging.put(y, yOff, s[0], 0, size);
        Staging.put(dy, dyOff, s[1], 0, size);
        Staging.put(new int[]{n, 1, 0, log ? 1 : 0}, 0, backwardParams, 0, PARAMS);
        backwardPlan.plan().launch((long) rows * GROUP, 1, 1, GROUP, 1, 1);
        Staging.get(s[2], 0, dx, dxOff, size);
    }

    @Override
    public void close() {
        forwardPlan.close();
        backwardPlan.close();
    }
}
