package dev.ranker4j.kernels.cpu;

import static dev.ranker4j.kernels.cpu.VectorMath.D;
import static dev.ranker4j.kernels.cpu.VectorMath.F;

import dev.ranker4j.kernels.ScalarMath;
import dev.ranker4j.kernels.UnaryOp;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;

/**
 * {@code out[i] = op(x[i])}: one vector loop per op (a switch inside the loop would make the JIT box every vector),
 * then a scalar tail through {@link ScalarMath}. Bandwidth: the cheap ops read 4 and write 4 bytes per float, so on
 * one core (about 10 GB/s) they run at about 1.2 G elements/s whatever the arithmetic; exp, tanh and the GELUs cost
 * 10–40 flops per element and are the only ones where the math, not memory, sets the pace.
 *
 * <p>F64 GELU_ERF and its derivative stay scalar ({@link ScalarMath#normalCdf}, about 1e-15 relative): F64 exists
 * for gradient checks, and no fitted approximation reaches that.
 *
 * <p>exp, log and tanh come from {@link VectorExpLog}: the Vector API's own EXP/LOG/TANH round differently once C2
 * compiles them. POW stays scalar ({@code Math.pow}) for the same reason; it only squares loss terms.
 */
final class UnaryKernels {
    private UnaryKernels() {}

    static void unary(WorkSplit split, UnaryOp op, double param, float[] x, int xOff, float[] out, int outOff, int n) {
        split.forElements(n, (from, to) -> apply(op, param, x, xOff + from, out, outOff + from, to - from));
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

    static void apply(UnaryOp op, double param, float[] x, int xo, float[] out, int oo, int n) {
        final int step = F.length(), bound = F.loopBound(n);
        final float p = (float) param;
        int i = 0;
        switch (op) {
            case NEG -> { for (; i < bound; i += step) at(x, xo + i).neg().intoArray(out, oo + i); }
            case EXP -> { for (; i < bound; i += step) VectorExpLog.exp(at(x, xo + i)).intoArray(out, oo + i); }
            case LOG -> { for (; i < bound; i += step) VectorExpLog.log(at(x, xo + i)).intoArray(out, oo + i); }
            case SQRT -> { for (; i < bound; i += step) at(x, xo + i).sqrt().intoArray(out, oo + i); }
            case RSQRT -> { for (; i < bound; i += step) VectorMath.reciprocal(at(x, xo + i).sqrt()).intoArray(out, oo + i); }
            case TANH -> { for (; i < bound; i += step) VectorExpLog.tanh(at(x, xo + i)).intoArray(out, oo + i); }
            case SIGMOID -> { for (; i < bound; i += step) VectorMath.sigmoid(at(x, xo + i)).intoArray(out, oo + i); }
            case RELU -> { for (; i < bound; i += step) VectorMath.relu(at(x, xo + i)).intoArray(out, oo + i); }
            case ABS -> { for (; i < bound; i += step) at(x, xo + i).abs().intoArray(out, oo + i); }
            case RECIPROCAL -> { for (; i < bound; i += step) VectorMath.reciprocal(at(x, xo + i)).intoArray(out, oo + i); }
            case SQUARE -> { for (; i < bound; i += step) { FloatVector v = at(x, xo + i); v.mul(v).intoArray(out, oo + i); } }
            case GELU_ERF -> { for (; i < bound; i += step) VectorMath.geluErf(at(x, xo + i)).intoArray(out, oo + i); }
            case GELU_TANH -> { for (; i < bound; i += step) VectorMath.geluTanh(at(x, xo + i)).intoArray(out, oo + i); }
            case ADD_SCALAR -> { for (; i < bound; i += step) at(x, xo + i).add(p).intoArray(out, oo + i); }
            case MUL_SCALAR -> { for (; i < bound; i += step) at(x, xo + i).mul(p).intoArray(out, oo + i); }
            case GELU_ERF_DERIVATIVE -> { for (; i < bound; i += step) VectorMath.geluErfDerivative(at(x, xo + i)).intoArray(out, oo + i); }
            case GELU_TANH_DERIVATIVE -> { for (; i < bound; i += step) VectorMath.geluTanhDerivative(at(x, xo + i)).intoArray(out, oo + i); }
            case STEP -> { for (; i < bound; i += step) VectorMath.step(at(x, xo + i)).intoArray(out, oo + i); }
            case POW -> { } // scalar, see the class comment
        }
        for (; i < n; i++) out[oo + i] = (float) ScalarMath.apply(op, x[xo + i], param);
    }

    static void apply(UnaryOp op, double p, double[] x, int xo, double[] out, int oo, int n) {
        final int step = D.length(), bound = D.loopBound(n);
        int i = 0;
        switch (op) {
            case NEG -> { for (; i < bound; i += step) at(x, xo + i).neg().intoArray(out, oo + i); }
            case EXP -> { for (; i < bound; i += step) VectorExpLog.exp(at(x, xo + i)).intoArray(out, oo + i); }
            case LOG -> { for (; i < bound; i += step) VectorExpLog.log(at(x, xo + i)).intoArray(out, oo + i); }
            case SQRT -> { for (; i < bound; i += step) at(x, xo + i).sqrt().intoArray(out, oo + i); }
            case RSQRT -> { for (; i < bound; i += step) VectorMath.reciprocal(at(x, xo + i).sqrt()).intoArray(out, oo + i); }
            case TANH -> { for (; i < bound; i += step) VectorExpLog.tanh(at(x, xo + i)).intoArray(out, oo + i); }
            case SIGMOID -> { for (; i < bound; i += step) VectorMath.sigmoid(at(x, xo + i)).intoArray(out, oo + i); }
            case RELU -> { for (; i < bound; i += step) VectorMath.relu(at(x, xo + i)).intoArray(out, oo + i); }
            case ABS -> { for (; i < bound; i += step) at(x, xo + i).abs().intoArray(out, oo + i); }
            case RECIPROCAL -> { for (; i < bound; i += step) VectorMath.reciprocal(at(x, xo + i)).intoArray(out, oo + i); }
            case SQUARE -> { for (; i < bound; i += step) { DoubleVector v = at(x, xo + i); v.mul(v).intoArray(out, oo + i); } }
            case GELU_TANH -> { for (; i < bound; i += step) VectorMath.geluTanh(at(x, xo + i)).intoArray(out, oo + i); }
            case ADD_SCALAR -> { for (; i < bound; i += step) at(x, xo + i).add(p).intoArray(out, oo + i); }
            case MUL_SCALAR -> { for (; i < bound; i += step) at(x, xo + i).mul(p).intoArray(out, oo + i); }
            case GELU_TANH_DERIVATIVE -> { for (; i < bound; i += step) VectorMath.geluTanhDerivative(at(x, xo + i)).intoArray(out, oo + i); }
            case STEP -> { for (; i < bound; i += step) VectorMath.step(at(x, xo + i)).intoArray(out, oo + i); }
            case GELU_ERF, GELU_ERF_DERIVATIVE, POW -> { } // scalar, see the class comment
        }
        for (; i < n; i++) out[oo + i] = ScalarMath.apply(op, x[xo + i], p);
    }
}
