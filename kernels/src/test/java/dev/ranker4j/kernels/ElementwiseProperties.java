package dev.ranker4j.kernels;

import static dev.ranker4j.kernels.KernelCheck.check;
import static dev.ranker4j.kernels.KernelCheck.f32;
import static dev.ranker4j.kernels.KernelCheck.f64;

import dev.ranker4j.kernels.KernelCheck.Tolerance;
import dev.ranker4j.kernels.RandomLayouts.View;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/** CpuBackend vs ReferenceBackend for unary, binary, where and copy, F32 and F64, on random shapes and layouts. */
class ElementwiseProperties {

    // ------------------------------------------------------------------------------------------------- unary

    @Property(tries = 200)
    @Covers({"unary"})
    void unaryMatchesReference(@ForAll UnaryOp op, @ForAll boolean f64, @ForAll boolean inPlace, @ForAll long seed) {
        Random random = new Random(seed);
        int n = random.nextInt(4) == 0 ? random.nextInt(300) : random.nextInt(40);
        int xOff = random.nextInt(3), outOff = inPlace ? xOff : random.nextInt(3);
        double[] x = unaryInput(op, random, xOff + n + random.nextInt(3));
        double param = op == UnaryOp.POW ? new double[]{2, 3, 0.5, -1, 1.5}[random.nextInt(5)]
                : (float) (4 * random.nextDouble() - 2);
        check("unary " + op + (f64 ? " F64" : " F32") + " n=" + n, backend -> {
            if (f64) {
                double[] out = inPlace ? x.clone() : new double[outOff + n + 2];
                ArrayKernels.unary(backend, op, param, inPlace ? out : x, xOff, out, outOff, n);
                return new double[][]{out};
            }
            float[] out = inPlace ? f32(x) : new float[outOff + n + 2];
            ArrayKernels.unary(backend, op, param, inPlace ? out : f32(x), xOff, out, outOff, n);
            return new double[][]{f64(out)};
        }, unaryTolerance(op, f64, param));
    }

    /** Inputs inside each op's domain, plus the edge values it must handle (0, ±1, large magnitudes). */
    private static double[] unaryInput(UnaryOp op, Random random, int length) {
        double[] x = switch (op) {
            case LOG, SQRT, RSQRT, POW -> RandomLayouts.values(random, length, 10);
            default -> RandomLayouts.values(random, length, 8);
        };
        boolean positive = op == UnaryOp.LOG || op == UnaryOp.SQRT || op == UnaryOp.RSQRT || op == UnaryOp.POW;
        double[] edges = positive ? new double[]{0, 1, 1e-3, 100} : new double[]{0, -0.0, 1, -1, 20, -20, -0.75};
        for (int i = 0; i < length; i++) {
            if (positive) x[i] = Math.abs(x[i]) + 1e-3;
            if (random.nextInt(10) == 0) x[i] = edges[random.nextInt(edges.length)];
        }
        return x;
    }

    /**
     * F64: 1e-12 relative (vector exp/log/tanh are within a few ulps). F32: the exactly rounded ops within 2 ulps;
     * exp/log/tanh/pow within 1e-5; the GELU family (fitted erfc, several roundings, a zero crossing of the
     * derivative near x = −0.75) within 2e-5 relative plus 2e-6 absolute.
     */
    private static Tolerance unaryTolerance(UnaryOp op, boolean f64, double param) {
        if (f64) return new Tolerance(1e-12, 1e-300);
        return switch (op) {
            case NEG, ABS, RELU, STEP, SQUARE, SQRT, RSQRT, RECIPROCAL, MUL_SCALAR, SIN -> new Tolerance(2.5e-7, 0);
            case ADD_SCALAR -> new Tolerance(2.5e-7, 1e-7 * Math.abs(param)); // x + (float) p vs (float)(x + p)
            case EXP, LOG, TANH, SIGMOID, POW -> new Tolerance(1e-5, 1e-37);
            case GELU_ERF, GELU_TANH, GELU_ERF_DERIVATIVE, GELU_TANH_DERIVATIVE -> new Tolerance(2e-5, 2e-6);
        };
    }

    /**
     * The fused backward against the reference backend, which runs {@link Backend#unaryBackward}'s composed default
     * (derivative kernels, then MUL). Tolerances as {@link #unaryTolerance}, plus an absolute slack scaled by the
     * largest |dy|: the fused TANH/SIGMOID forms keep the tails that 1 − tanh² and σ(x)·σ(−x) round away.
     */
    @Property(tries = 200)
    @Covers({"unaryBackward"})
    void unaryBackwardMatchesReference(@ForAll UnaryOp op, @ForAll boolean f64, @ForAll long seed) {
        if (!op.hasDerivative()) return;
        Random random = new Random(seed);
        // mostly several vectors long (the fused loops), sometimes shorter than one (only the scalar tail)
        int n = random.nextInt(5) == 0 ? random.nextInt(20) : 20 + random.nextInt(200);
        int xOff = random.nextInt(3), dyOff = random.nextInt(3), dxOff = random.nextInt(3);
        double[] x = unaryInput(op, random, xOff + n + random.nextInt(3));
        double[] dy = RandomLayouts.values(random, dyOff + n, 4);
        double param = op == UnaryOp.POW ? new double[]{2, 3, 0.5, -1, 1.5}[random.nextInt(5)]
                : (float) (4 * random.nextDouble() - 2);
        Tolerance forward = unaryTolerance(op, f64, param);
        double dyScale = java.util.Arrays.stream(dy).map(Math::abs).max().orElse(0);
        Tolerance tolerance = new Tolerance(forward.rtol(), (f64 ? 1e-15 : 2e-6) * dyScale + forward.atol());
        check("unaryBackward " + op + (f64 ? " F64" : " F32") + " n=" + n, backend -> {
            if (f64) {
                double[] dx = new double[dxOff + n + 2];
                ArrayKernels.unaryBackward(backend, op, param, x, xOff, dy, dyOff, dx, dxOff, n);
                return new double[][]{dx};
            }
            float[] dx = new float[dxOff + n + 2];
            ArrayKernels.unaryBackward(backend, op, param, f32(x), xOff, f32(dy), dyOff, dx, dxOff, n);
            return new double[][]{f64(dx)};
        }, tolerance);
    }

    @Property(tries = 20)
    void unaryBackwardRejectsOpsWithoutADerivative(@ForAll UnaryOp op) {
        if (op.hasDerivative()) return;
        for (Backend backend : java.util.List.of(KernelCheck.REFERENCE, KernelCheck.CPU.get(0))) {
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> ArrayKernels.unaryBackward(backend, op, 0, new float[4], 0, new float[4], 0, new float[4], 0, 4));
            org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains(op.name()), e.getMessage());
        }
    }

    // ------------------------------------------------------------------------------------------------ binary

    @Property(tries = 200)
    @Covers({"binary"})
    void binaryMatchesReference(@ForAll BinaryOp op, @ForAll boolean f64, @ForAll long seed) {
        Random random = new Random(seed);
        int[] shape = RandomLayouts.shape(random);
        View a = RandomLayouts.view(random, shape, true), b = RandomLayouts.view(random, shape, true);
        boolean few = op.ordinal() >= BinaryOp.EQ.ordinal() || op == BinaryOp.MAX || op == BinaryOp.MIN;
        double[] aValues = few ? RandomLayouts.fewValues(random, a.storageLength())
                : RandomLayouts.values(random, a.storageLength(), 4);
        double[] bValues = few ? RandomLayouts.fewValues(random, b.storageLength())
                : RandomLayouts.values(random, b.storageLength(), 4);
        if (op == BinaryOp.POW) {
            for (int i = 0; i < aValues.length; i++) aValues[i] = Math.abs(aValues[i]) + 0.1;
        }
        int outOff = random.nextInt(3), size = RandomLayouts.size(shape);
        check("binary " + op + (f64 ? " F64 " : " F32 ") + java.util.Arrays.toString(shape), backend -> {
            if (f64) {
                double[] out = new double[outOff + size];
                ArrayKernels.binary(backend, op, shape, aValues, a.offset(), a.strides(), bValues, b.offset(), b.strides(), out, outOff);
                return new double[][]{out};
            }
            float[] out = new float[outOff + size];
            ArrayKernels.binary(backend, op, shape, f32(aValues), a.offset(), a.strides(), f32(bValues), b.offset(), b.strides(),
                    out, outOff);
            return new double[][]{f64(out)};
        }, f64 ? new Tolerance(1e-12, 0) : new Tolerance(op == BinaryOp.POW ? 1e-5 : 0, 0));
    }

    /** The named fast paths, made certain rather than left to chance: bias add, row broadcast, scalar broadcast. */
    @Property(tries = 60)
    @Covers({"binary"})
    void broadcastFastPathsMatchReference(@ForAll BinaryOp op, @ForAll boolean f64, @ForAll long seed) {
        Random random = new Random(seed);
        int rows = 1 + random.nextInt(9), n = 1 + random.nextInt(70);
        int[] shape = {rows, n};
        int[][] bStrides = {{0, 1}, {1, 0}, {0, 0}, {n, 1}}; // bias, row broadcast, scalar, plain
        int[] bs = bStrides[random.nextInt(bStrides.length)];
        double[] aValues = RandomLayouts.values(random, rows * n, 3), bValues = RandomLayouts.values(random, rows * n, 3);
        if (op == BinaryOp.POW) for (int i = 0; i < aValues.length; i++) aValues[i] = Math.abs(aValues[i]) + 0.1;
        int[] as = {n, 1};
        check("binary " + op + " b strides " + java.util.Arrays.toString(bs), backend -> {
            if (f64) {
                double[] out = new double[rows * n];
                ArrayKernels.binary(backend, op, shape, aValues, 0, as, bValues, 0, bs, out, 0);
                return new double[][]{out};
            }
            float[] out = new float[rows * n];
            ArrayKernels.binary(backend, op, shape, f32(aValues), 0, as, f32(bValues), 0, bs, out, 0);
            return new double[][]{f64(out)};
        }, f64 ? new Tolerance(1e-12, 0) : new Tolerance(op == BinaryOp.POW ? 1e-5 : 0, 0));
    }

    // ------------------------------------------------------------------------------------------------- where

    @Property(tries = 100)
    @Covers({"where"})
    void whereMatchesReference(@ForAll boolean f64, @ForAll long seed) {
        Random random = new Random(seed);
        int[] shape = RandomLayouts.shape(random);
        View c = RandomLayouts.view(random, shape, true), a = RandomLayouts.view(random, shape, true);
        View b = RandomLayouts.view(random, shape, true);
        double[] cond = RandomLayouts.fewValues(random, c.storageLength());
        double[] aValues = RandomLayouts.values(random, a.storageLength(), 5);
        double[] bValues = RandomLayouts.values(random, b.storageLength(), 5);
        int size = RandomLayouts.size(shape);
        check("where " + java.util.Arrays.toString(shape), backend -> {
            if (f64) {
                double[] out = new double[size];
                ArrayKernels.where(backend, shape, cond, c.offset(), c.strides(), aValues, a.offset(), a.strides(),
                        bValues, b.offset(), b.strides(), out, 0);
                return new double[][]{out};
            }
            float[] out = new float[size];
            ArrayKernels.where(backend, shape, f32(cond), c.offset(), c.strides(), f32(aValues), a.offset(), a.strides(),
                    f32(bValues), b.offset(), b.strides(), out, 0);
            return new double[][]{f64(out)};
        }, Tolerance.exact());
    }

    // -------------------------------------------------------------------------------------------------- copy

    @Property(tries = 150)
    @Covers({"copy"})
    void copyMatchesReference(@ForAll boolean f64, @ForAll long seed) {
        Random random = new Random(seed);
        int[] shape = RandomLayouts.shape(random);
        View src = RandomLayouts.view(random, shape, random.nextInt(3) == 0);
        double[] values = RandomLayouts.values(random, src.storageLength(), 5);
        int dstOff = random.nextInt(3), size = RandomLayouts.size(shape);
        check("copy " + java.util.Arrays.toString(shape) + " strides " + java.util.Arrays.toString(src.strides()),
                backend -> {
                    if (f64) {
                        double[] dst = new double[dstOff + size];
                        ArrayKernels.copy(backend, shape, values, src.offset(), src.strides(), dst, dstOff);
                        return new double[][]{dst};
                    }
                    float[] dst = new float[dstOff + size];
                    ArrayKernels.copy(backend, shape, f32(values), src.offset(), src.strides(), dst, dstOff);
                    return new double[][]{f64(dst)};
                }, Tolerance.exact());
    }
}
