package dev.ranker4j.kernels.cpu;

import static dev.ranker4j.kernels.cpu.VectorMath.F;

import dev.ranker4j.kernels.UnaryOp;

import jdk.incubator.vector.FloatVector;

/**
 * {@code out[i] = op(x[i])}: one vector loop per op (a switch inside the loop would make the JIT box every vector;
 * see the loop table below for why the loops are separate lambdas),
 * whose tail runs through the same loop on one padded vector (so an element's bits do not depend on where the vector
 * boundaries fall, nor on the lane count); an op without a vector loop (POW, SIN) gets its scalar definition
 * ({@link UnaryOp#apply}). Bandwidth: the cheap ops read 4 and write 4 bytes per float, so on
 * one core (about 10 GB/s) they run at about 1.2 G elements/s whatever the arithmetic; exp, tanh and the GELUs cost
 * 10–40 flops per element and are the only ones where the math, not memory, sets the pace.
 *
 * <p>Float only: F64 runs on the reference backend (see {@link CpuBackend}).
 *
 * <p>exp, log and tanh come from {@link VectorExpLog}: the Vector API's own EXP/LOG/TANH round differently once C2
 * compiles them. POW stays scalar ({@code Math.pow}) for the same reason; it only squares loss terms.
 */
final class UnaryKernels {
    private UnaryKernels() {}

    static void unary(WorkSplit split, UnaryOp op, double param, float[] x, int xOff, float[] out, int outOff, int n) {
        split.forElements(n, (from, to) -> apply(op, param, x, xOff + from, out, outOff + from, to - from));
    }

    private static FloatVector at(float[] x, int i) {
        return FloatVector.fromArray(F, x, i);
    }

    /**
     * One op's vector loop: computes {@code out[oo + i]} for i in [0, bound) ({@code bound} a multiple of the vector
     * length) and returns where the scalar tail must start (0 for the ops that have no vector form).
     */
    @FunctionalInterface
    private interface FloatLoop {
        int run(float[] x, int xo, float[] out, int oo, int bound, float p);
    }


    /*
     * The loops sit behind an interface, one lambda per op, rather than in one switch: the call through the table
     * is megamorphic once several ops run, so C2 compiles every loop as its own method. In one method with all
     * cases (exp, log and tanh are inlined vector code) C2 ran out of its inlining budget once several ops were hot
     * and boxed the vectors: exp took 1 ns per element instead of 0.34. Even one loop alone has a budget (C2's
     * NodeCountInliningCutoff): the GELU_ERF derivative with two exps crossed it and ran at 2–6 ns per element
     * instead of 0.3; see VectorMath.normalCdf for how it stays under.
     */
    private static final FloatLoop[] FLOAT_LOOPS = new FloatLoop[UnaryOp.values().length];

    /** Whether op's loop is a vector loop (it then computes every element, the tail too). */
    private static final boolean[] VECTORIZED = new boolean[UnaryOp.values().length];

    static {
        for (UnaryOp op : UnaryOp.values()) {
            FLOAT_LOOPS[op.ordinal()] = floatLoop(op);
            float[] probe = new float[F.length()];
            VECTORIZED[op.ordinal()] = FLOAT_LOOPS[op.ordinal()].run(probe, 0, probe, 0, probe.length, 1f) == probe.length;
        }
    }

    static void apply(UnaryOp op, double param, float[] x, int xo, float[] out, int oo, int n) {
        FloatLoop loop = FLOAT_LOOPS[op.ordinal()];
        int bound = F.loopBound(n);
        int i = loop.run(x, xo, out, oo, bound, (float) param);
        if (VECTORIZED[op.ordinal()] && bound < n) {
            // The tail through the same vector loop, on one vector's worth of padding: every element then gets the
            // same function whatever the lane count, so results do not depend on the ISA (IsaIndependenceTest).
            float[] pad = new float[F.length()];
            System.arraycopy(x, xo + bound, pad, 0, n - bound);
            loop.run(pad, 0, pad, 0, pad.length, (float) param);
            System.arraycopy(pad, 0, out, oo + bound, n - bound);
            return;
        }
        for (; i < n; i++) out[oo + i] = (float) op.apply(x[xo + i], param);
    }

    private static FloatLoop floatLoop(UnaryOp op) {
        return switch (op) {
            case NEG -> (x, xo, out, oo, bound, p) -> {
                for (int i = 0; i < bound; i += F.length()) at(x, xo + i).neg().intoArray(out, oo + i);
                return bound;
            };
            case EXP -> (x, xo, out, oo, bound, p) -> {
                for (int i = 0; i < bound; i += F.length()) VectorExpLog.exp(at(x, xo + i)).intoArray(out, oo + i);
                return bound;
            };
            case LOG -> (x, xo, out, oo, bound, p) -> {
                for (int i = 0; i < bound; i += F.length()) VectorExpLog.log(at(x, xo + i)).intoArray(out, oo + i);
                return bound;
            };
            case SQRT -> (x, xo, out, oo, bound, p) -> {
                for (int i = 0; i < bound; i += F.length()) at(x, xo + i).sqrt().intoArray(out, oo + i);
                return bound;
            };
            case RSQRT -> (x, xo, out, oo, bound, p) -> {
                for (int i = 0; i < bound; i += F.length()) VectorMath.reciprocal(at(x, xo + i).sqrt()).intoArray(out, oo + i);
                return bound;
            };
            case TANH -> (x, xo, out, oo, bound, p) -> {
                for (int i = 0; i < bound; i += F.length()) VectorExpLog.tanh(at(x, xo + i)).intoArray(out, oo + i);
                return bound;
            };
            case SIGMOID -> (x, xo, out, oo, bound, p) -> {
                for (int i = 0; i < bound; i += F.length()) VectorMath.sigmoid(at(x, xo + i)).intoArray(out, oo + i);
                return bound;
            };
            case RELU -> (x, xo, out, oo, bound, p) -> {
                for (int i = 0; i < bound; i += F.length()) VectorMath.relu(at(x, xo + i)).intoArray(out, oo + i);
                return bound;
            };
            case ABS -> (x, xo, out, oo, bound, p) -> {
                for (int i = 0; i < bound; i += F.length()) at(x, xo + i).abs().intoArray(out, oo + i);
                return bound;
            };
            case RECIPROCAL -> (x, xo, out, oo, bound, p) -> {
                for (int i = 0; i < bound; i += F.length()) VectorMath.reciprocal(at(x, xo + i)).intoArray(out, oo + i);
                return bound;
            };
            case SQUARE -> (x, xo, out, oo, bound, p) -> {
                for (int i = 0; i < bound; i += F.length()) { FloatVector v = at(x, xo + i); v.mul(v).intoArray(out, oo + i); }
                return bound;
            };
            case GELU_ERF -> (x, xo, out, oo, bound, p) -> {
                for (int i = 0; i < bound; i += F.length()) VectorMath.geluErf(at(x, xo + i)).intoArray(out, oo + i);
                return bound;
            };
            case GELU_TANH -> (x, xo, out, oo, bound, p) -> {
                for (int i = 0; i < bound; i += F.length()) VectorMath.geluTanh(at(x, xo + i)).intoArray(out, oo + i);
                return bound;
            };
            case ADD_SCALAR -> (x, xo, out, oo, bound, p) -> {
                for (int i = 0; i < bound; i += F.length()) at(x, xo + i).add(p).intoArray(out, oo + i);
                return bound;
            };
            case MUL_SCALAR -> (x, xo, out, oo, bound, p) -> {
                for (int i = 0; i < bound; i += F.length()) at(x, xo + i).mul(p).intoArray(out, oo + i);
                return bound;
            };
            case GELU_ERF_DERIVATIVE -> (x, xo, out, oo, bound, p) -> {
                for (int i = 0; i < bound; i += F.length()) VectorMath.geluErfDerivative(at(x, xo + i)).intoArray(out, oo + i);
                return bound;
            };
            case GELU_TANH_DERIVATIVE -> (x, xo, out, oo, bound, p) -> {
                for (int i = 0; i < bound; i += F.length()) VectorMath.geluTanhDerivative(at(x, xo + i)).intoArray(out, oo + i);
                return bound;
            };
            case STEP -> (x, xo, out, oo, bound, p) -> {
                for (int i = 0; i < bound; i += F.length()) VectorMath.step(at(x, xo + i)).intoArray(out, oo + i);
                return bound;
            };
            // POW, and any op without a vector loop (SIN): the scalar definition, UnaryOp.apply, element by element
            default -> (x, xo, out, oo, bound, p) -> 0;
        };
    }

}
