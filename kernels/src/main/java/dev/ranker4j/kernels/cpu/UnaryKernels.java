package dev.ranker4j.kernels.cpu;

import static dev.ranker4j.kernels.cpu.VectorMath.D;
import static dev.ranker4j.kernels.cpu.VectorMath.F;

import dev.ranker4j.kernels.ScalarMath;
import dev.ranker4j.kernels.UnaryOp;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * {@code out[i] = op(x[i])}: one vector loop per op (a switch inside the loop would make the JIT box every vector;
 * for float, each loop is also its own compilation unit, see {@code FloatLoop}), then a scalar tail through
 * {@link ScalarMath}. Bandwidth: the cheap ops read 4 and write 4 bytes per float, so on
 * one core (about 10 GB/s) they run at about 1.2 G elements/s whatever the arithmetic; exp, tanh and the GELUs cost
 * 10–40 flops per element and are the only ones where the math, not memory, sets the pace.
 *
 * <p>F64 GELU_ERF and its derivative stay scalar ({@link ScalarMath#normalCdf}, about 1e-15 relative): F64 exists
 * for gradient checks, and no fitted approximation reaches that.
 */
final class UnaryKernels {
    private UnaryKernels() {}

    static void unary(WorkSplit split, UnaryOp op, double param, float[] x, int xOff, float[] out, int outOff, int n) {
        FloatLoop loop = floatLoop(op);
        split.forElements(n, (from, to) -> apply(loop, op, param, x, xOff + from, out, outOff + from, to - from));
    }

    static void unary(WorkSplit split, UnaryOp op, double param, double[] x, int xOff, double[] out, int outOff, int n) {
        split.forElements(n, (from, to) -> apply(op, param, x, xOff + from, out, outOff + from, to - from));
    }

    private static FloatVector at(float[] x, int i) {
        return FloatVector.fromArray(F, x, i);
    }

    private static DoubleVector at(double[] x, int i) {
        return DoubleVector.fromArray(D, x, i);
    }

    /** out[oo + i] = op(x[xo + i]) for i in [0, n), on the calling thread (x and out may be the same range). */
    static void apply(UnaryOp op, double param, float[] x, int xo, float[] out, int oo, int n) {
        apply(floatLoop(op), op, param, x, xo, out, oo, n);
    }

    private static void apply(FloatLoop loop, UnaryOp op, double param, float[] x, int xo, float[] out, int oo, int n) {
        int i = loop.run(x, xo, out, oo, F.loopBound(n), (float) param);
        for (; i < n; i++) out[oo + i] = (float) ScalarMath.apply(op, x[xo + i], param);
    }

    /**
     * The vector part of one float op: lanes [0, bound) (a multiple of the vector length); returns the index reached.
     * Each op's loop is its own lambda, hence its own JIT compilation unit. With all of them in one method, C2 ran out
     * of its node budget while inlining (NodeCountInliningCutoff, seen with -XX:+PrintInlining) once several ops
     * had run, left VectorMath.normalCdf as a real call and boxed its vectors: GELU 2–3× slower in a training step.
     */
    @FunctionalInterface
    private interface FloatLoop {
        int run(float[] x, int xo, float[] out, int oo, int bound, float p);
    }

    private static FloatLoop floatLoop(UnaryOp op) {
        final int step = F.length();
        return switch (op) {
            case NEG -> (x, xo, out, oo, bound, p) -> { int i = 0; for (; i < bound; i += step) at(x, xo + i).neg().intoArray(out, oo + i); return i; };
            case EXP -> (x, xo, out, oo, bound, p) -> { int i = 0; for (; i < bound; i += step) at(x, xo + i).lanewise(VectorOperators.EXP).intoArray(out, oo + i); return i; };
            case LOG -> (x, xo, out, oo, bound, p) -> { int i = 0; for (; i < bound; i += step) at(x, xo + i).lanewise(VectorOperators.LOG).intoArray(out, oo + i); return i; };
            case SQRT -> (x, xo, out, oo, bound, p) -> { int i = 0; for (; i < bound; i += step) at(x, xo + i).sqrt().intoArray(out, oo + i); return i; };
            case RSQRT -> (x, xo, out, oo, bound, p) -> { int i = 0; for (; i < bound; i += step) VectorMath.reciprocal(at(x, xo + i).sqrt()).intoArray(out, oo + i); return i; };
            case TANH -> (x, xo, out, oo, bound, p) -> { int i = 0; for (; i < bound; i += step) at(x, xo + i).lanewise(VectorOperators.TANH).intoArray(out, oo + i); return i; };
            case SIGMOID -> (x, xo, out, oo, bound, p) -> { int i = 0; for (; i < bound; i += step) VectorMath.sigmoid(at(x, xo + i)).intoArray(out, oo + i); return i; };
            case RELU -> (x, xo, out, oo, bound, p) -> { int i = 0; for (; i < bound; i += step) VectorMath.relu(at(x, xo + i)).intoArray(out, oo + i); return i; };
            case ABS -> (x, xo, out, oo, bound, p) -> { int i = 0; for (; i < bound; i += step) at(x, xo + i).abs().intoArray(out, oo + i); return i; };
            case RECIPROCAL -> (x, xo, out, oo, bound, p) -> { int i = 0; for (; i < bound; i += step) VectorMath.reciprocal(at(x, xo + i)).intoArray(out, oo + i); return i; };
            case SQUARE -> (x, xo, out, oo, bound, p) -> { int i = 0; for (; i < bound; i += step) { FloatVector v = at(x, xo + i); v.mul(v).intoArray(out, oo + i); } return i; };
            case GELU_ERF -> (x, xo, out, oo, bound, p) -> { int i = 0; for (; i < bound; i += step) VectorMath.geluErf(at(x, xo + i)).intoArray(out, oo + i); return i; };
            case GELU_TANH -> (x, xo, out, oo, bound, p) -> { int i = 0; for (; i < bound; i += step) VectorMath.geluTanh(at(x, xo + i)).intoArray(out, oo + i); return i; };
            case POW -> (x, xo, out, oo, bound, p) -> { int i = 0; for (; i < bound; i += step) at(x, xo + i).lanewise(VectorOperators.POW, p).intoArray(out, oo + i); return i; };
            case ADD_SCALAR -> (x, xo, out, oo, bound, p) -> { int i = 0; for (; i < bound; i += step) at(x, xo + i).add(p).intoArray(out, oo + i); return i; };
            case MUL_SCALAR -> (x, xo, out, oo, bound, p) -> { int i = 0; for (; i < bound; i += step) at(x, xo + i).mul(p).intoArray(out, oo + i); return i; };
            case GELU_ERF_DERIVATIVE -> (x, xo, out, oo, bound, p) -> { int i = 0; for (; i < bound; i += step) VectorMath.geluErfDerivative(at(x, xo + i)).intoArray(out, oo + i); return i; };
            case GELU_TANH_DERIVATIVE -> (x, xo, out, oo, bound, p) -> { int i = 0; for (; i < bound; i += step) VectorMath.geluTanhDerivative(at(x, xo + i)).intoArray(out, oo + i); return i; };
            case STEP -> (x, xo, out, oo, bound, p) -> { int i = 0; for (; i < bound; i += step) VectorMath.step(at(x, xo + i)).intoArray(out, oo + i); return i; };
        };
    }

    static void apply(UnaryOp op, double p, double[] x, int xo, double[] out, int oo, int n) {
        final int step = D.length(), bound = D.loopBound(n);
        int i = 0;
        switch (op) {
            case NEG -> { for (; i < bound; i += step) at(x, xo + i).neg().intoArray(out, oo + i); }
            case EXP -> { for (; i < bound; i += step) at(x, xo + i).lanewise(VectorOperators.EXP).intoArray(out, oo + i); }
            case LOG -> { for (; i < bound; i += step) at(x, xo + i).lanewise(VectorOperators.LOG).intoArray(out, oo + i); }
            case SQRT -> { for (; i < bound; i += step) at(x, xo + i).sqrt().intoArray(out, oo + i); }
            case RSQRT -> { for (; i < bound; i += step) VectorMath.reciprocal(at(x, xo + i).sqrt()).intoArray(out, oo + i); }
            case TANH -> { for (; i < bound; i += step) at(x, xo + i).lanewise(VectorOperators.TANH).intoArray(out, oo + i); }
            case SIGMOID -> { for (; i < bound; i += step) VectorMath.sigmoid(at(x, xo + i)).intoArray(out, oo + i); }
            case RELU -> { for (; i < bound; i += step) VectorMath.relu(at(x, xo + i)).intoArray(out, oo + i); }
            case ABS -> { for (; i < bound; i += step) at(x, xo + i).abs().intoArray(out, oo + i); }
            case RECIPROCAL -> { for (; i < bound; i += step) VectorMath.reciprocal(at(x, xo + i)).intoArray(out, oo + i); }
            case SQUARE -> { for (; i < bound; i += step) { DoubleVector v = at(x, xo + i); v.mul(v).intoArray(out, oo + i); } }
            case GELU_TANH -> { for (; i < bound; i += step) VectorMath.geluTanh(at(x, xo + i)).intoArray(out, oo + i); }
            case POW -> { for (; i < bound; i += step) at(x, xo + i).lanewise(VectorOperators.POW, p).intoArray(out, oo + i); }
            case ADD_SCALAR -> { for (; i < bound; i += step) at(x, xo + i).add(p).intoArray(out, oo + i); }
            case MUL_SCALAR -> { for (; i < bound; i += step) at(x, xo + i).mul(p).intoArray(out, oo + i); }
            case GELU_TANH_DERIVATIVE -> { for (; i < bound; i += step) VectorMath.geluTanhDerivative(at(x, xo + i)).intoArray(out, oo + i); }
            case STEP -> { for (; i < bound; i += step) VectorMath.step(at(x, xo + i)).intoArray(out, oo + i); }
            case GELU_ERF, GELU_ERF_DERIVATIVE -> { } // scalar, see the class comment
        }
        for (; i < n; i++) out[oo + i] = ScalarMath.apply(op, x[xo + i], p);
    }
}
