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
final class StridedKernel {
    static final int GROUP = 64;
    static final int MAX_RANK = 8;
    static final int OUT_AT = 0, AT_0 = 1, AT_1 = 2, AT_2 = 3, SIZE = 4, RANK = 5, OP = 6, SHAPE = 7, STRIDES_0 = SHAPE + MAX_RANK,
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

    public static void binary(KernelContext context, IntArray p, FloatArray mem) {
        int i = context.globalIdx;
        if (i < p.get(SIZE)) {
            float x = mem.get(p.get(AT_0) + position(p, i, STRIDES_0));
            float y = mem.get(p.get(AT_1) + position(p, i, STRIDES_1));
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
            mem.set(p.get(OUT_AT) + i, r);
        }
    }

    public static void where(KernelContext context, IntArray p, FloatArray mem) {
        int i = context.globalIdx;
        if (i < p.get(SIZE)) {
            if (mem.get(p.get(AT_0) + position(p, i, STRIDES_0)) != 0.0f) {
                mem.set(p.get(OUT_AT) + i, mem.get(p.get(AT_1) + position(p, i, STRIDES_1)));
            } else {
                mem.set(p.get(OUT_AT) + i, mem.get(p.get(AT_2) + position(p, i, STRIDES_2)));
            }
        }
    }

    public static void copy(KernelContext context, IntArray p, FloatArray mem) {
        int i = context.globalIdx;
        if (i < p.get(SIZE)) {
            mem.set(p.get(OUT_AT) + i, mem.get(p.get(AT_0) + position(p, i, STRIDES_0)));
        }
    }

    private final DeviceArrays arrays;
    private final DeviceProgram.Kernel binary, where, copy;

    StridedKernel(DeviceProgram program, DeviceArrays arrays) {
        this.arrays = arrays;
        binary = program.kernel("binary", new WorkerGrid1D(GROUP), PARAMS, 0, List.of(), List.of(),
                (g, p, s, m) -> g.task(DeviceProgram.TASK, StridedKernel::binary, new KernelContext(), p, m));
        where = program.kernel("where", new WorkerGrid1D(GROUP), PARAMS, 0, List.of(), List.of(),
                (g, p, s, m) -> g.task(DeviceProgram.TASK, StridedKernel::where, new KernelContext(), p, m));
        copy = program.kernel("copy", new WorkerGrid1D(GROUP), PARAMS, 0, List.of(), List.of(),
                (g, p, s, m) -> g.task(DeviceProgram.TASK, StridedKernel::copy, new KernelContext(), p, m));
    }

    /** Whether this kernel handles a space of {@code rank} axes. */
    static boolean supports(int[] shape) {
        return shape.length <= MAX_RANK;
    }

    void binary(BinaryOp op, int[] shape, float[] a, int aOff, int[] aStrides, float[] b, int bOff, int[] bStrides,
                float[] out, int outOff) {
        int size = size(shape);
        if (size == 0) return;
        int aAt = arrays.read(a) + aOff, bAt = arrays.read(b) + bOff;
        int outAt = arrays.write(out, outOff, outOff + size) + outOff;
        binary.params(params(outAt, aAt, bAt, 0, size, op.ordinal(), shape, aStrides, bStrides, null));
        binary.launch1D(size, GROUP);
    }

    void where(int[] shape, float[] cond, int condOff, int[] condStrides, float[] a, int aOff, int[] aStrides,
               float[] b, int bOff, int[] bStrides, float[] out, int outOff) {
        int size = size(shape);
        if (size == 0) return;
        int condAt = arrays.read(cond) + condOff, aAt = arrays.read(a) + aOff, bAt = arrays.read(b) + bOff;
        int outAt = arrays.write(out, outOff, outOff + size) + outOff;
        where.params(params(outAt, condAt, aAt, bAt, size, 0, shape, condStrides, aStrides, bStrides));
        where.launch1D(size, GROUP);
    }

    void copy(int[] shape, float[] src, int srcOff, int[] srcStrides, float[] dst, int dstOff) {
        int size = size(shape);
        if (size == 0) return;
        int srcAt = arrays.read(src) + srcOff;
        int dstAt = arrays.write(dst, dstOff, dstOff + size) + dstOff;
        copy.params(params(dstAt, srcAt, 0, 0, size, 0, shape, srcStrides, null, null));
        copy.launch1D(size, GROUP);
    }

    private static int size(int[] shape) {
        long size = 1;
        for (int extent : shape) size *= extent;
        return Math.toIntExact(size);
    }

    private static int[] params(int outAt, int at0, int at1, int at2, int size, int op, int[] shape, int[] s0,
                                int[] s1, int[] s2) {
        int[] values = new int[PARAMS];
        values[OUT_AT] = outAt;
        values[AT_0] = at0;
        values[AT_1] = at1;
        values[AT_2] = at2;
        values[SIZE] = size;
        values[RANK] = shape.length;
        values[OP] = op;
        System.arraycopy(shape, 0, values, SHAPE, shape.length);
        System.arraycopy(s0, 0, values, STRIDES_0, shape.length);
        if (s1 != null) System.arraycopy(s1, 0, values, STRIDES_1, shape.length);
        if (s2 != null) System.arraycopy(s2, 0, values, STRIDES_2, shape.length);
        return values;
    }
}
