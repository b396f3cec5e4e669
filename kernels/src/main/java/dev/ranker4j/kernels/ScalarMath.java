package dev.ranker4j.kernels;

/**
 * Scalar math in double precision: the definition of every binary elementwise function, and the special functions
 * the unary ones need (erf, erfc, Φ, the logistic function). The unary functions and their derivatives themselves are
 * defined in {@link UnaryOp}. The reference backend applies these directly; fast kernels must agree with them.
 */
public final class ScalarMath {
    private ScalarMath() {}

    static final double SQRT_2_OVER_PI = Math.sqrt(2.0 / Math.PI);
    private static final double INV_SQRT_2 = 1.0 / Math.sqrt(2.0);
    static final double INV_SQRT_2PI = 1.0 / Math.sqrt(2.0 * Math.PI);

    /** The cubic coefficient of the tanh approximation of GELU (Hendrycks &amp; Gimpel 2016). */
    public static final double GELU_TANH_CUBIC = 0.044715;

    /** u = √(2/π)·(x + 0.044715·x³), the argument of tanh in GELU_TANH. */
    public static double geluTanhInner(double x) {
        return SQRT_2_OVER_PI * (x + GELU_TANH_CUBIC * x * x * x);
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
     * The error function to about 1e-15 relative (the JDK has none, and GELU's exact form needs one accurate enough
     * for float64 gradient checks): the Maclaurin series below 1.5, where its alternating terms barely cancel, and
     * 1 − erfc above, with erfc from its continued fraction.
     */
    public static double erf(double x) {
        if (Double.isNaN(x)) return x;
        double ax = Math.abs(x);
        double result = ax < ERFC_FRACTION_FROM ? erfSeries(ax) : 1.0 - erfcContinuedFraction(ax);
        return x < 0 ? -result : result;
    }

    /**
     * The complementary error function 1 − erf(x), accurate to about 1e-15 RELATIVE even deep in the right tail
     * (where 1 − erf(x) would cancel to nothing): {@link #normalCdf} needs it for large negative arguments.
     */
    public static double erfc(double x) {
        if (Double.isNaN(x)) return x;
        if (x < ERFC_FRACTION_FROM) return 1.0 - erf(x); // erfc ≥ 0.034 here: the subtraction loses under 2 digits
        return erfcContinuedFraction(x);
    }

    /** Φ(x), the standard normal CDF, as ½·erfc(−x/√2): accurate relative to its value in both tails. */
    public static double normalCdf(double x) {
        return 0.5 * erfc(-x * INV_SQRT_2);
    }

    /** Where erf/erfc switch from the series to the continued fraction (100 terms converge to 1 ulp from here on). */
    private static final double ERFC_FRACTION_FROM = 1.5;

    /** erf(x) = 2/√π Σ (−1)ⁿ x^(2n+1) / (n! (2n+1)), for 0 ≤ x &lt; 1.5. */
    private static double erfSeries(double x) {
        double term = x, sum = x, x2 = x * x;
        for (int n = 1; n < 100; n++) {
            term *= -x2 / n;
            double contribution = term / (2 * n + 1);
            sum += contribution;
            if (Math.abs(contribution) < 1e-17 * Math.abs(sum)) break;
        }
        return 2.0 / Math.sqrt(Math.PI) * sum;
    }

    /** erfc(x) = exp(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))) for x ≥ 1.5, evaluated bottom-up. */
    private static double erfcContinuedFraction(double x) {
        double fraction = 0;
        for (int n = 100; n >= 1; n--) fraction = (n / 2.0) / (x + fraction);
        return Math.exp(-x * x) / Math.sqrt(Math.PI) / (x + fraction);
    }
}
