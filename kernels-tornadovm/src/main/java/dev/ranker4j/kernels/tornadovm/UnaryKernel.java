package dev.ranker4j.kernels.tornadovm;

import java.util.List;

import dev.ranker4j.kernels.UnaryOp;
import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.WorkerGrid1D;
import uk.ac.manchester.tornado.api.math.TornadoMath;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/**
 * Elementwise functions of one input (GELU in both forms, their derivatives, and the rest of {@link UnaryOp}) on the
 * device: one work item per element. The op travels as its ordinal; the kernel's constants below are read from
 * {@link UnaryOp} itself (the tests run every op against its definition, {@link UnaryOp#apply}).
 *
 * <p>OpenCL C has erf, but TornadoVM's math API does not expose it, so erf is Abramowitz &amp; Stegun 7.1.26
 * (|error| ≤ 1.5·10⁻⁷, below float resolution near 1).
 */
final class UnaryKernel {
    static final int GROUP = 64;
    static final int X_AT = 0, OUT_AT = 1, N = 2, OP = 3, PARAMS = 4;
    // The op numbers the device code branches on are UnaryOp's own ordinals, read when this class initialises (final
    // before TornadoVM compiles the kernel, which folds them as constants): no number is kept by hand.
    static final int NEG = UnaryOp.NEG.ordinal(), EXP = UnaryOp.EXP.ordinal(), LOG = UnaryOp.LOG.ordinal(),
            SQRT = UnaryOp.SQRT.ordinal(), RSQRT = UnaryOp.RSQRT.ordinal(), TANH = UnaryOp.TANH.ordinal(),
            SIGMOID = UnaryOp.SIGMOID.ordinal(), RELU = UnaryOp.RELU.ordinal(), ABS = UnaryOp.ABS.ordinal(),
            RECIPROCAL = UnaryOp.RECIPROCAL.ordinal(), SQUARE = UnaryOp.SQUARE.ordinal(),
            GELU_ERF = UnaryOp.GELU_ERF.ordinal(), GELU_TANH = UnaryOp.GELU_TANH.ordinal(), POW = UnaryOp.POW.ordinal(),
            ADD_SCALAR = UnaryOp.ADD_SCALAR.ordinal(), MUL_SCALAR = UnaryOp.MUL_SCALAR.ordinal(),
            GELU_ERF_DERIVATIVE = UnaryOp.GELU_ERF_DERIVATIVE.ordinal(),
            GELU_TANH_DERIVATIVE = UnaryOp.GELU_TANH_DERIVATIVE.ordinal(), STEP = UnaryOp.STEP.ordinal();

    /**
     * The ops {@link #function} implements, listed by name: the backend runs any other op on the host, so an op
     * added to the table (SIN) works on this backend before anyone writes its device code.
     */
    private static final java.util.Set<UnaryOp> ON_DEVICE = java.util.EnumSet.of(UnaryOp.NEG, UnaryOp.EXP,
            UnaryOp.LOG, UnaryOp.SQRT, UnaryOp.RSQRT, UnaryOp.TANH, UnaryOp.SIGMOID, UnaryOp.RELU, UnaryOp.ABS,
            UnaryOp.RECIPROCAL, UnaryOp.SQUARE, UnaryOp.GELU_ERF, UnaryOp.GELU_TANH, UnaryOp.POW, UnaryOp.ADD_SCALAR,
            UnaryOp.MUL_SCALAR, UnaryOp.GELU_ERF_DERIVATIVE, UnaryOp.GELU_TANH_DERIVATIVE, UnaryOp.STEP);

    static boolean supports(UnaryOp op) {
        return ON_DEVICE.contains(op);
    }

    private static final float SQRT_2_OVER_PI = 0.7978845608028654f;
    private static final float INV_SQRT_2 = 0.7071067811865476f;
    private static final float INV_SQRT_2PI = 0.3989422804014327f;

    /** s[0] = the op's scalar parameter. */
    public static void apply(KernelContext context, IntArray p, FloatArray s, FloatArray mem) {
        int i = context.globalIdx;
        if (i < p.get(N)) {
            mem.set(p.get(OUT_AT) + i, function(p.get(OP), mem.get(p.get(X_AT) + i), s.get(0)));
        }
    }

    static float function(int op, float x, float param) {
        float y = 0.0f;
        if (op == NEG) {
            y = -x;
        } else if (op == EXP) {
            y = TornadoMath.exp(x);
        } else if (op == LOG) {
            y = TornadoMath.log(x);
        } else if (op == SQRT) {
            y = TornadoMath.sqrt(x);
        } else if (op == RSQRT) {
            y = 1.0f / TornadoMath.sqrt(x);
        } else if (op == TANH) {
            y = TornadoMath.tanh(x);
        } else if (op == SIGMOID) {
            if (x >= 0.0f) {
                y = 1.0f / (1.0f + TornadoMath.exp(-x));
            } else {
                float e = TornadoMath.exp(x);
                y = e / (1.0f + e);
            }
        } else if (op == RELU) {
            y = x > 0.0f ? x : 0.0f;
        } else if (op == ABS) {
            y = TornadoMath.abs(x);
        } else if (op == RECIPROCAL) {
            y = 1.0f / x;
        } else if (op == SQUARE) {
            y = x * x;
        } else if (op == GELU_ERF) {
            y = 0.5f * x * (1.0f + erf(x * INV_SQRT_2));
        } else if (op == GELU_TANH) {
            y = 0.5f * x * (1.0f + TornadoMath.tanh(SQRT_2_OVER_PI * (x + 0.044715f * x * x * x)));
        } else if (op == POW) {
            y = TornadoMath.pow(x, param);
        } else if (op == ADD_SCALAR) {
            y = x + param;
        } else if (op == MUL_SCALAR) {
            y = x * param;
        } else if (op == GELU_ERF_DERIVATIVE) {
            y = 0.5f * (1.0f + erf(x * INV_SQRT_2)) + x * INV_SQRT_2PI * TornadoMath.exp(-0.5f * x * x);
        } else if (op == GELU_TANH_DERIVATIVE) {
            float t = TornadoMath.tanh(SQRT_2_OVER_PI * (x + 0.044715f * x * x * x));
            float dInner = SQRT_2_OVER_PI * (1.0f + 3.0f * 0.044715f * x * x);
            y = 0.5f * (1.0f + t) + 0.5f * x * (1.0f - t * t) * dInner;
        } else if (op == STEP) {
            y = x > 0.0f ? 1.0f : 0.0f;
        }
        return y;
    }

    /** erf(x) ≈ sign(x) · (1 − (a₁t + a₂t² + a₃t³ + a₄t⁴ + a₅t⁵) e^(−x²)), t = 1/(1 + 0.3275911|x|). */
    static float erf(float x) {
        float ax = TornadoMath.abs(x);
        float t = 1.0f / (1.0f + 0.3275911f * ax);
        float poly = t * (0.254829592f + t * (-0.284496736f + t * (1.421413741f + t * (-1.453152027f + t * 1.061405429f))));
        float result = 1.0f - poly * TornadoMath.exp(-ax * ax);
        return x < 0.0f ? -result : result;
    }

    private final DeviceArrays arrays;
    private final DeviceProgram.Kernel kernel;

    UnaryKernel(DeviceProgram program, DeviceArrays arrays) {
        this.arrays = arrays;
        kernel = program.kernel("unary", new WorkerGrid1D(GROUP), PARAMS, 1, List.of(), List.of(),
                (g, p, s, m) -> g.task(DeviceProgram.TASK, UnaryKernel::apply, new KernelContext(), p, s, m));
    }

    /** out = op(x); x and out may be the same range (each work item reads its element before writing it). */
    void run(UnaryOp op, double param, float[] x, int xOff, float[] out, int outOff, int n) {
        if (n == 0) return;
        int xAt = arrays.read(x) + xOff;
        int outAt = arrays.write(out, outOff, outOff + n) + outOff;
        kernel.params(xAt, outAt, n, op.ordinal());
        kernel.scalars.set(0, (float) param);
        kernel.launch1D(n, GROUP);
    }
}
