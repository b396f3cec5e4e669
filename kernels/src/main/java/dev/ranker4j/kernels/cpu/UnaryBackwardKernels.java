package dev.ranker4j.kernels.cpu;

import static dev.ranker4j.kernels.cpu.VectorMath.F;

import dev.ranker4j.kernels.UnaryOp;

import java.util.Set;
import jdk.incubator.vector.FloatVector;

/**
 * {@code dx[i] = dy[i] · op′(x[i])} in one pass for the activations autograd differentiates through their input:
 * the GELUs, RELU, TANH, SIGMOID and EXP. Bandwidth: 8 bytes read and 4 written per float, against 20 read and
 * 12 written (plus a temporary) for the composed form (derivative kernel, then a multiply); the GELU_ERF
 * derivative is about 40 vector operations per 16 floats, so on two cores it is compute- rather than memory-bound
 * and the saving is the second pass and its temporary. Other ops go through the composed default of
 * {@link dev.ranker4j.kernels.Backend#unaryBackward}.
 *
 * <p>One loop per op behind a table, for the reason given in {@link UnaryKernels}. Each loop is the vector form of
 * the op's rule in the derivative table ({@link UnaryOp#derivative}), checked against it by the kernel properties;
 * float only (F64 runs on the reference backend).
 */
final class UnaryBackwardKernels {
    private UnaryBackwardKernels() {}

    /** The ops with a fused loop here. */
    static final Set<UnaryOp> FUSED = Set.of(UnaryOp.GELU_ERF, UnaryOp.GELU_TANH, UnaryOp.RELU, UnaryOp.TANH,
            UnaryOp.SIGMOID, UnaryOp.EXP);

    static void backward(WorkSplit split, UnaryOp op, float[] x, int xOff, float[] dy, int dyOff,
                         float[] dx, int dxOff, int n) {
        FloatLoop loop = FLOAT_LOOPS[op.ordinal()];
        split.forElements(n, (from, to) -> {
            int count = to - from, xo = xOff + from, dyo = dyOff + from, dxo = dxOff + from;
            int bound = F.loopBound(count);
            loop.run(x, xo, dy, dyo, dx, dxo, bound);
            if (bound < count) { // the tail through the same loop on padding: the same bits on every ISA
                int tail = count - bound, lanes = F.length();
                float[] pad = new float[3 * lanes];
                System.arraycopy(x, xo + bound, pad, 0, tail);
                System.arraycopy(dy, dyo + bound, pad, lanes, tail);
                loop.run(pad, 0, pad, lanes, pad, 2 * lanes, lanes);
                System.arraycopy(pad, 2 * lanes, dx, dxo + bound, tail);
            }
        });
    }

    /** Computes dx[dxo + i] for i in [0, bound); returns bound. */
    @FunctionalInterface
    private interface FloatLoop {
        int run(float[] x, int xo, float[] dy, int dyo, float[] dx, int dxo, int bound);
    }


    private static final FloatLoop[] FLOAT_LOOPS = new FloatLoop[UnaryOp.values().length];

    static {
        for (UnaryOp op : FUSED) {
            FLOAT_LOOPS[op.ordinal()] = floatLoop(op);
        }
    }

    private static FloatVector at(float[] a, int i) {
        return FloatVector.fromArray(F, a, i);
    }

    private static FloatLoop floatLoop(UnaryOp op) {
        return switch (op) {
            case GELU_ERF -> (x, xo, dy, dyo, dx, dxo, bound) -> {
                for (int i = 0; i < bound; i += F.length()) {
                    at(dy, dyo + i).mul(VectorMath.geluErfDerivative(at(x, xo + i))).intoArray(dx, dxo + i);
                }
                return bound;
            };
            case GELU_TANH -> (x, xo, dy, dyo, dx, dxo, bound) -> {
                for (int i = 0; i < bound; i += F.length()) {
                    at(dy, dyo + i).mul(VectorMath.geluTanhDerivative(at(x, xo + i))).intoArray(dx, dxo + i);
                }
                return bound;
            };
            case RELU -> (x, xo, dy, dyo, dx, dxo, bound) -> {
                for (int i = 0; i < bound; i += F.length()) {
                    at(dy, dyo + i).mul(VectorMath.step(at(x, xo + i))).intoArray(dx, dxo + i);
                }
                return bound;
            };
            case EXP -> (x, xo, dy, dyo, dx, dxo, bound) -> {
                for (int i = 0; i < bound; i += F.length()) {
                    at(dy, dyo + i).mul(VectorExpLog.exp(at(x, xo + i))).intoArray(dx, dxo + i);
                }
                return bound;
            };
            case TANH -> (x, xo, dy, dyo, dx, dxo, bound) -> {
                for (int i = 0; i < bound; i += F.length()) {
                    at(dy, dyo + i).mul(VectorMath.tanhDerivative(at(x, xo + i))).intoArray(dx, dxo + i);
                }
                return bound;
            };
            case SIGMOID -> (x, xo, dy, dyo, dx, dxo, bound) -> {
                for (int i = 0; i < bound; i += F.length()) {
                    at(dy, dyo + i).mul(VectorMath.sigmoidDerivative(at(x, xo + i))).intoArray(dx, dxo + i);
                }
                return bound;
            };
            default -> throw new IllegalArgumentException("no fused backward for " + op);
        };
    }

}
