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
 * Each mask row is first shifted by its own maximum, as the CPU kernel does: softmax ignores a shift of the row,
 * and without it a fully masked row (every mask −10000, or −1e9) would compute x_j − 10000 in float, whose spacing
 * there (about 1e-3) wipes out the differences of x that the double-precision reference keeps. The shift is a
 * launch of its own ({@link #shiftMask}, into device scratch) because the device compiler, under TornadoVM's
 * {@code -cl-fast-relaxed-math}, may reassociate x + (mask − max) back into (x + mask) − max within one kernel.
 * Reference: {@link dev.ranker4j.kernels.ReferenceBackend#softmaxRows} and {@code softmaxBackwardRows}.
 */
final class SoftmaxKernel {
    static final int GROUP = 64;
    static final int X_AT = 0, MASK_AT = 1, OUT_AT = 2, N = 3, MASK_REPEAT = 4, HAS_MASK = 5, LOG = 6, PARAMS = 7;
    static final int Y_AT = 0, DY_AT = 1, DX_AT = 2;
    static final int SHIFT_MASK_AT = 0, SHIFT_OUT_AT = 1, SHIFT_ROWS = 2, SHIFT_N = 3;

    public static void forward(KernelContext context, IntArray p, FloatArray mem) {
        int n = p.get(N);
        int row = context.groupIdx;
        int item = context.localIdx;
        int x = p.get(X_AT) + row * n;
        int mask = p.get(MASK_AT) + (row / p.get(MASK_REPEAT)) * n;
        int out = p.get(OUT_AT) + row * n;
        int hasMask = p.get(HAS_MASK);
        float[] partial = context.allocateFloatLocalArray(GROUP);

        float max = Float.NEGATIVE_INFINITY;
        for (int j = item; j < n; j += GROUP) {
            float v = mem.get(x + j);
            if (hasMask == 1) {
                v += mem.get(mask + j);
            }
            max = TornadoMath.max(max, v);
        }
        float rowMax = GroupReduction.max(context, partial, item, GROUP, max);

        float sum = 0.0f;
        for (int j = item; j < n; j += GROUP) {
            float v = mem.get(x + j);
            if (hasMask == 1) {
                v += mem.get(mask + j);
            }
            sum += TornadoMath.exp(v - rowMax);
        }
        float logSumExp = rowMax + TornadoMath.log(GroupReduction.sum(context, partial, item, GROUP, sum));

        for (int j = item; j < n; j += GROUP) {
            float v = mem.get(x + j);
            if (hasMask == 1) {
                v += mem.get(mask + j);
            }
            float logProbability = v - logSumExp;
            if (p.get(LOG) == 1) {
                mem.set(out + j, logProbability);
            } else {
                mem.set(out + j, TornadoMath.exp(logProbability));
            }
        }
    }

    public static void backward(KernelContext context, IntArray p, FloatArray mem) {
        int n = p.get(N);
        int row = context.groupIdx;
        int item = context.localIdx;
        int log = p.get(LOG);
        int y = p.get(Y_AT) + row * n;
        int dy = p.get(DY_AT) + row * n;
        int dx = p.get(DX_AT) + row * n;
        float[] partial = context.allocateFloatLocalArray(GROUP);

        // Σ dy (log-softmax) or Σ dy·y (softmax).
        float sum = 0.0f;
        for (int j = item; j < n; j += GROUP) {
            if (log == 1) {
                sum += mem.get(dy + j);
            } else {
                sum += mem.get(dy + j) * mem.get(y + j);
            }
        }
        float total = GroupReduction.sum(context, partial, item, GROUP, sum);

        for (int j = item; j < n; j += GROUP) {
            if (log == 1) {
                mem.set(dx + j, mem.get(dy + j) - TornadoMath.exp(mem.get(y + j)) * total);
            } else {
                mem.set(dx + j, mem.get(y + j) * (mem.get(dy + j) - total));
            }
        }
    }

    /** One work item per mask row: shifted[r, j] = mask[r, j] − max_j mask[r, j] (a row of −∞ stays as is). */
    public static void shiftMask(KernelContext context, IntArray p, FloatArray mem) {
        int row = context.globalIdx;
        int n = p.get(SHIFT_N);
        if (row < p.get(SHIFT_ROWS)) {
            int mask = p.get(SHIFT_MASK_AT) + row * n;
            int shifted = p.get(SHIFT_OUT_AT) + row * n;
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < n; j++) {
                float value = mem.get(mask + j);
                if (value > max) {
                    max = value; // a NaN stays where it is instead of spreading over the row
                }
            }
            if (max == Float.NEGATIVE_INFINITY) {
                max = 0.0f;
            }
            for (int j = 0; j < n; j++) {
                mem.set(shifted + j, mem.get(mask + j) - max);
            }
        }
    }

    private final DeviceArrays arrays;
    private final DeviceProgram.Kernel forward, backward, shift;

    SoftmaxKernel(DeviceProgram program, DeviceArrays arrays) {
        this.arrays = arrays;
        forward = program.kernel("softmax", new WorkerGrid1D(GROUP), PARAMS, 0, List.of(), List.of(),
                (g, p, s, m) -> g.task(DeviceProgram.TASK, SoftmaxKernel::forward, new KernelContext(), p, m));
        backward = program.kernel("softmaxBackward", new WorkerGrid1D(GROUP), PARAMS, 0, List.of(), List.of(),
                (g, p, s, m) -> g.task(DeviceProgram.TASK, SoftmaxKernel::backward, new KernelContext(), p, m));
        shift = program.kernel("shiftMask", new WorkerGrid1D(GROUP), PARAMS, 0, List.of(), List.of(),
                (g, p, s, m) -> g.task(DeviceProgram.TASK, SoftmaxKernel::shiftMask, new KernelContext(), p, m));
    }

    void forward(float[] x, int xOff, float[] mask, int maskOff, int maskRowRepeat, int rows, int n, boolean log,
                 float[] out, int outOff) {
        if (rows == 0 || n == 0) return;
        int xAt = arrays.read(x) + xOff;
        int maskAt = mask == null ? -1 : arrays.read(mask) + maskOff;
        int outAt = arrays.write(out, outOff, outOff + rows * n) + outOff;
        forward(xAt, maskAt, maskRowRepeat, rows, n, log, outAt);
    }

    /** On device positions; {@code maskAt} −1 for no mask. */
    void forward(int xAt, int maskAt, int maskRowRepeat, int rows, int n, boolean log, int outAt) {
        if (rows == 0 || n == 0) return;
        int maskRows = (rows - 1) / maskRowRepeat + 1;
        int shifted = maskAt < 0 ? -1 : shiftMask(maskAt, maskRows, n);
        try {
            forwardShifted(xAt, shifted, maskRowRepeat, rows, n, log, outAt);
        } finally {
            if (shifted >= 0) arrays.freeScratch(shifted, maskRows * n);
        }
    }

    /** The softmax launch alone, with a mask already shifted by {@link #shiftMask} (or −1 for none). */
    void forwardShifted(int xAt, int shiftedMaskAt, int maskRowRepeat, int rows, int n, boolean log, int outAt) {
        if (rows == 0 || n == 0) return;
        forward.params(xAt, Math.max(shiftedMaskAt, 0), outAt, n, maskRowRepeat, shiftedMaskAt < 0 ? 0 : 1,
                log ? 1 : 0);
        forward.launch((long) rows * GROUP, 1, 1, GROUP, 1, 1);
    }

    /** Device scratch holding the {@code maskRows} rows at {@code maskAt}, each minus its maximum; free it after use. */
    int shiftMask(int maskAt, int maskRows, int n) {
        int shifted = arrays.scratch(maskRows * n);
        shift.params(maskAt, shifted, maskRows, n);
        shift.launch1D(maskRows, GROUP);
        return shifted;
    }

    void backward(float[] y, int yOff, float[] dy, int dyOff, int rows, int n, boolean log, float[] dx, int dxOff) {
        if (rows == 0 || n == 0) return;
        int yAt = arrays.read(y) + yOff, dyAt = arrays.read(dy) + dyOff;
        int dxAt = arrays.write(dx, dxOff, dxOff + rows * n) + dxOff;
        backward.params(yAt, dyAt, dxAt, n, 1, 0, log ? 1 : 0);
        backward.launch((long) rows * GROUP, 1, 1, GROUP, 1, 1);
    }
}
