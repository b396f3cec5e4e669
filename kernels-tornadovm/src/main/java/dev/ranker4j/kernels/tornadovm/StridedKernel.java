package dev.ranker4j.kernels.tornadovm;

import java.util.List;

import dev.ranker4j.kernels.BinaryOp;
import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.WorkerGrid1D;
import uk.ac.manchester.tornado.api.math.TornadoMath;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/**
 * Kernels over a strided, broadcasting index space with a contiguous output: binary ops, where, and copy (the one
 * behind {@code contiguous()}). One work item per output element: it splits its flat index into coordinates,
 * last axis fastest, and dots them with each operand's strides (a stride of 0 broadcasts). Up to
 * {@link #MAX_RANK} axes. Reference: {@link dev.ranker4j.kernels.ReferenceBackend#binary}, {@code where}, {@code copy}.
 */
final class StridedKernel implements AutoCloseable {
    static final int GROUP = 64;
    static final int MAX_RANK = 8;
    static final int SIZE = 0, RANK = 1, OP = 2, SHAPE = 3, STRIDES_0 = SHAPE + MAX_RANK,
            STRIDES_1 = STRIDES_0 + MAX_RANK, STRIDES_2 = STRIDES_1 + MAX_RANK, PARAMS = STRIDES_2 + MAX_RANK;
    // BinaryOp ordinals, in declaration order.
    static final int ADD = 0, SUB = 1, MUL = 2, DIV = 3, MAX = 4, MIN = 5, POW = 6, EQ = 7, NE = 8, LT = 9, LE = 10,
            GT = 11, GE = 12;

    /** Position of element {@code i} in the operand whose strides start at {@code strides}. */
    static int position(IntArray p, int i, int strides) {
        int rest = i;
        int at = 0;
        for (int axis = p.get(RANK) - 1; axis >= 0; axis--) {
            int extent = p.get(SHAPE + axis);
            at += (rest % extent) * p.get(strides + axis);
            rest = rest / extent;
        }
        return at;
    }

    public static void binary(KernelContext context, IntArray p, FloatArray a, FloatArray b, FloatArray out) {
        int i = context.globalIdx;
        if (i < p.get(SIZE)) {
            float x = a.get(position(p, i, STRIDES_0));
            float y = b.get(position(p, i, STRIDES_1));
            int op = p.get(OP);
            float r = 0.0f;
            if (op == ADD) {
                r = x + y;
            } else if (op == SUB) {
                r = x - y;
            } else if (op == MUL) {
                r = x * y;
            } else if (op == DIV) {
                r = x / y;
            } else if (op == MAX) {
                r = TornadoMath.max(x, y);
            } else if (op == MIN) {
                r = TornadoMath.min(x, y);
            } else if (op == POW) {
                r = TornadoMath.pow(x, y);
            } else if (op == EQ) {
                r = x == y ? 1.0f : 0.0f;
            } else if (op == NE) {
                r = x != y ? 1.0f : 0.0f;
            } else if (op == LT) {
                r = x < y ? 1.0f : 0.0f;
            } else if (op == LE) {
                r = x <= y ? 1.0f : 0.0f;
            } else if (op == GT) {
                r = x > y ? 1.0f : 0.0f;
            } else if (op == GE) {
                r = x >= y ? 1.0f : 0.0f;
            }
            out.set(i, r);
        }
    }

    public static void where(KernelContext context, IntArray p, FloatArray condition, FloatArray a, FloatArray b,
                             FloatArray out) {
        int i = context.globalIdx;
        if (i < p.get(SIZE)) {
            if (condition.get(position(p, i, STRIDES_0)) != 0.0f) {
                out.set(i, a.get(position(p, i, STRIDES_1)));
            } else {
                out.set(i, b.get(position(p, i, STRIDES_2)));
            }
        }
    }

    public static void copy(KernelContext context, IntArray p, FloatArray src, FloatArray out) {
        int i = context.globalIdx;
        if (i < p.get(SIZE)) {
            out.set(i, src.get(position(p, i, STRIDES_0)));
        }
    }

    private final IntArray binaryParams = new IntArray(PARAMS);
    private final IntArray whereParams = new IntArray(PARAMS);
    private final IntArray copyParams = new IntArray(PARAMS);
    private final StagedPlan binaryPlan;
    private final StagedPlan wherePlan;
    private final StagedPlan copyPlan;

    StridedKernel(TransferStats stats) {
        binaryPlan = new StagedPlan(3, s -> new DevicePlan("binary", new WorkerGrid1D(GROUP), stats, List.of(),
                List.of(binaryParams, s[0], s[1]), List.of(s[2]),
                g -> g.task(DevicePlan.TASK, StridedKernel::binary, new KernelContext(), binaryParams, s[0], s[1], s[2])));
        wherePlan = new StagedPlan(4, s -> new DevicePlan("where", new WorkerGrid1D(GROUP), stats, List.of(),
                List.of(whereParams, s[0], s[1], s[2]), List.of(s[3]),
                g -> g.task(DevicePlan.TASK, StridedKernel::where, new KernelContext(), whereParams, s[0], s[1], s[2], s[3])));
        copyPlan = new StagedPlan(2, s -> new DevicePlan("copy", new WorkerGrid1D(GROUP), stats, List.of(),
                List.of(copyParams, s[0]), List.of(s[1]),
                g -> g.task(DevicePlan.TASK, StridedKernel::copy, new KernelContext(), copyParams, s[0], s[1])));
    }

    /** Whether this kernel handles a space of {@code rank} axes. */
    static boolean supports(int[] shape) {
        return shape.length <= MAX_RANK;
    }

    void binary(BinaryOp op, int[] shape, float[] a, int aOff, int[] aStrides, float[] b, int bOff, int[] bStrides,
                float[] out, int outOff) {
        int size = size(shape);
        if (size == 0) return;
        int aSpan = Staging.span(shape, aStrides), bSpan = Staging.span(shape, bStrides);
        var s = binaryPlan.ensure(aSpan, bSpan, size);
        Staging.put(a, aOff, s[0], 0, aSpan);
        Staging.put(b, bOff, s[1], 0, bSpan);
        writeParams(binaryParams, size, op.ordinal(), shape, aStrides, bStrides, null);
        binaryPlan.plan().launch(DevicePlan.roundUp(size, GROUP), 1, 1, GROUP, 1, 1);
        Staging.get(s[2], 0, out, outOff, size);
    }

    void where(int[] shape, float[] cond, int condOff, int[] condStrides, float[] a, int aOff, int[] aStrides,
               float[] b, int bOff, int[] bStrides, float[] out, int outOff) {
        int size = size(shape);
        if (size == 0) return;
        int cSpan = Staging.span(shape, condStrides), aSpan = Staging.span(shape, aStrides);
        int bSpan = Staging.span(shape, bStrides);
        var s = wherePlan.ensure(cSpan, aSpan, bSpan, size);
        Staging.put(cond, condOff, s[0], 0, cSpan);
        Staging.put(a, aOff, s[1], 0, aSpan);
        Staging.put(b, bOff, s[2], 0, bSpan);
        writeParams(whereParams, size, 0, shape, condStrides, aStrides, bStrides);
        wherePlan.plan().launch(DevicePlan.roundUp(size, GROUP), 1, 1, GROUP, 1, 1);
        Staging.get(s[3], 0, out, outOff, size);
    }

    void copy(int[] shape, float[] src, int srcOff, int[] srcStrides, float[] dst, int dstOff) {
        int size = size(shape);
        if (size == 0) return;
        int span = Staging.span(shape, srcStrides);
        var s = copyPlan.ensure(span, size);
        Staging.put(src, srcOff, s[0], 0, span);
        writeParams(copyParams, size, 0, shape, srcStrides, null, null);
        copyPlan.plan().launch(DevicePlan.roundUp(size, GROUP), 1, 1, GROUP, 1, 1);
        Staging.get(s[1], 0, dst, dstOff, size);
    }

    private static int size(int[] shape) {
        long size = 1;
        for (int extent : shape) size *= extent;
        return Math.toIntExact(size);
    }

    private static void writeParams(IntArray params, int size, int op, int[] shape, int[] s0, int[] s1, int[] s2) {
        int[] values = new int[PARAMS];
        values[SIZE] = size;
        values[RANK] = shape.length;
        values[OP] = op;
        System.arraycopy(shape, 0, values, SHAPE, shape.length);
        System.arraycopy(s0, 0, values, STRIDES_0, shape.length);
        if (s1 != null) System.arraycopy(s1, 0, values, STRIDES_1, shape.length);
        if (s2 != null) System.arraycopy(s2, 0, values, STRIDES_2, shape.length);
        Staging.put(values, 0, params, 0, PARAMS);
    }

    @Override
    public void close() {
        binaryPlan.close();
        wherePlan.close();
        copyPlan.close();
    }
}
