package dev.ranker4j.kernels;

/**
 * The scalar definition of every elementwise function, in double precision. The reference backend applies these
 * directly; fast kernels must agree with them.
 */
public final class ScalarMath {
    private ScalarMath() {}

    private static final double SQRT_2_OVER_PI = Math.sqrt(2.0 / Math.PI);
    private static final double INV_SQRT_2 = 1.0 / Math.sqrt(2.0);
    private static final double INV_SQRT_2PI = 1.0 / Math.sqrt(2.0 * Math.PI);

    public static double apply(UnaryOp op, double x, double param) {
        return switch (op) {
            case NEG -> -x;
            case EXP -> Math.exp(x);
            case LOG -> Math.log(x);
            case SQRT -> Math.sqrt(x);
            case RSQRT -> 1.0 / Math.sqrt(x);
            case TANH -> Math.tanh(x);
            case SIGMOID -> sigmoid(x);
            case RELU -> x > 0 ? x : 0.0;
            case ABS -> Math.abs(x);
            case RECIPROCAL -> 1.0 / x;
            case SQUARE -> x * x;
            case GELU_ERF -> 0.5 * x * (1.0 + erf(x * INV_SQRT_2));
            case GELU_TANH -> 0.5 * x * (1.0 + Math.tanh(SQRT_2_OVER_PI * (x + 0.044715 * x * x * x)));
            case POW -> Math.pow(x, param);
            case ADD_SCALAR -> x + param;
            case MUL_SCALAR -> x * param;
            case GELU_ERF_DERIVATIVE -> 0.5 * (1.0 + erf(x * INV_SQRT_2)) + x * INV_SQRT_2PI * Math.exp(-0.5 * x * x);
            case GELU_TANH_DERIVATIVE -> {
                double inner = SQRT_2_OVER_PI * (x + 0.044715 * x * x * x);
                double t = Math.tanh(inner);
                double dInner = SQRT_2_OVER_PI * (1.0 + 3.0 * 0.044715 * x * x);
                yield 0.5 * (1.0 + t) + 0.5 * x * (1.0 - t * t) * dInner;
            }
            case STEP -> x > 0 ? 1.0 : 0.0;
        };
    }

    public static double apply(BinaryOp op, double a, double b) {
        return switch (op) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case MAX -> Math.max(a, b);
            case MIN -> Math.min(a, b);
            case POW -> Math.pow(a, b);
            case EQ -> a == b ? 1 : 0;
            case NE -> a != b ? 1 : 0;
            case LT -> a < b ? 1 : 0;
            case LE -> a <= b ? 1 : 0;
            case GT -> a > b ? 1 : 0;
            case GE -> a >= b ? 1 : 0;
        };
    }

    /** Numerically stable logistic function: never evaluates exp of a large positive number. */
    public static double sigmoid(double x) {
        if (x >= 0) return 1.0 / (1.0 + Math.exp(-x));
        double e = Math.exp(x);
        return e / (1.0 + e);
    }

    /**
     * The error function to about 1e-16 relative: a Taylor series near 0 and a continued fraction for erfc in the
     * tails (the JDK has no erf, and GELU's exact form needs one accurate enough for float64 gradient checks).
     */
    public static double erf(double x) {
        if (Double.isNaN(x)) return x;
        double ax = Math.abs(x);
        double result;
        if (ax < 2.5) {
            // erf(x) = 2/√π Σ (-1)^n x^(2n+1) / (n! (2n+1)); terms shrink fast for |x| < 2.5.
            double term = ax, sum = ax, x2 = ax * ax;
            for (int n = 1; n < 200; n++) {
                term *= -x2 / n;
                double contribution = term / (2 * n + 1);
                sum += contribution;
                if (Math.abs(contribution) < 1e-17 * Math.abs(sum)) break;
            }
            result = 2.0 / Math.sqrt(Math.PI) * sum;
        } else if (ax > 27) {
            result = 1.0;
        } else {
            // erfc(x) = exp(-x²)/√π · 1/(x + 1/2/(x + 1/(x + 3/2/(x + ...)))) evaluated bottom-up (Lentz would also do).
            double fraction = 0;
            for (int n = 60; n >= 1; n--) fraction = (n / 2.0) / (ax + fraction);
            result = 1.0 - Math.exp(-ax * ax) / Math.sqrt(Math.PI) / (ax + fraction);
        }
        return x < 0 ? -result : result;
    }
}
