package dev.ranker4j.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import org.junit.jupiter.api.Test;

/**
 * The reference checked on its own, independently of any fast kernel: erf/erfc against published high-precision
 * values, derivatives against central finite differences in double, GEMM against a product worked by hand. A fast
 * kernel agreeing with a wrong reference would prove nothing; these tests anchor the reference to the math.
 */
class ReferenceBackendTest {
    private final ReferenceBackend reference = new ReferenceBackend();

    // --------------------------------------------------------------------------------------------- ScalarMath

    /** x, erf(x), erfc(x) to 25 significant digits (mpmath, 40-digit arithmetic). */
    private static final double[][] ERF_TABLE = {
        {0.1, 0.1124629160182848984047123, 0.8875370839817151015952877},
        {0.25, 0.2763263901682369329850683, 0.7236736098317630670149317},
        {0.5, 0.5204998778130465376827467, 0.4795001221869534623172533},
        {1.0, 0.8427007929497148693412206, 0.1572992070502851306587794},
        {1.5, 0.9661051464753107270669763, 0.03389485352468927293302374},
        {2.0, 0.9953222650189527341620693, 0.004677734981047265837930744},
        {2.5, 0.9995930479825550410604358, 0.0004069520174449589395642157},
        {3.0, 0.9999779095030014145586272, 0.00002209049699858544137277613},
        {4.0, 0.9999999845827420997199811, 1.541725790028001885215967e-8},
        {5.0, 0.999999999998462540205572, 1.537459794428034850188343e-12},
        {6.0, 0.9999999999999999784802633, 2.151973671249891311659335e-17},
        {-0.7, -0.6778011938374184422768582, 1.677801193837418442276858},
        {-2.0, -0.9953222650189527341620693, 1.995322265018952734162069},
        {-3.3, -0.9999969422902035618348012, 1.999996942290203561834801},
    };

    @Test
    void erfAndErfcMatchHighPrecisionValues() {
        for (double[] row : ERF_TABLE) {
            double x = row[0];
            assertEquals(row[1], ScalarMath.erf(x), 2e-15 * Math.abs(row[1]), "erf(" + x + ")");
            assertEquals(row[2], ScalarMath.erfc(x), 2e-14 * Math.abs(row[2]), "erfc(" + x + ") relative");
        }
        assertEquals(0.0, ScalarMath.erf(0.0));
        assertEquals(1.0, ScalarMath.erf(30.0));
        assertEquals(0.0, ScalarMath.erfc(30.0));
    }

    @Test
    void geluErfMatchesHighPrecisionValues() {
        // x·Φ(x) from mpmath: Φ(1) = 0.8413447460685429, Φ(-3) = 0.0013498980316300946, Φ(-6) = 9.865876450376946e-10
        assertEquals(0.8413447460685429, UnaryOp.GELU_ERF.apply(1.0, 0), 2e-15);
        assertEquals(-3 * 0.0013498980316300946, UnaryOp.GELU_ERF.apply(-3.0, 0), 2e-15 * 0.004);
        assertEquals(-6 * 9.865876450376946e-10, UnaryOp.GELU_ERF.apply(-6.0, 0), 1e-14 * 6e-9,
                "the tail: rounding x/√2 alone costs 2z²·1e-16 ≈ 4e-15 relative at z = 4.2");
    }

    @Property(tries = 200)
    void geluDerivativesMatchCentralDifferences(@ForAll @DoubleRange(min = -8, max = 8) double x) {
        double h = 1e-5;
        checkDerivative(UnaryOp.GELU_ERF, UnaryOp.GELU_ERF_DERIVATIVE, x, h);
        checkDerivative(UnaryOp.GELU_TANH, UnaryOp.GELU_TANH_DERIVATIVE, x, h);
    }

    private static void checkDerivative(UnaryOp function, UnaryOp derivative, double x, double h) {
        double numeric = (function.apply(x + h, 0) - function.apply(x - h, 0)) / (2 * h);
        // central difference error ~ h²·f'''/6 plus rounding ~ 1e-16/h: about 1e-10 here
        assertEquals(numeric, derivative.apply(x, 0), 1e-9, derivative + " at " + x);
    }

    // -------------------------------------------------------------------------- backward kernels vs differences

    @Property(tries = 30)
    void softmaxBackwardMatchesFiniteDifferences(@ForAll boolean log, @ForAll long seed) {
        Random random = new Random(seed);
        int rows = 1 + random.nextInt(3), n = 1 + random.nextInt(6);
        double[] x = RandomLayouts.values(random, rows * n, 3), dy = RandomLayouts.values(random, rows * n, 1);
        double[] y = new double[rows * n], dx = new double[rows * n];
        ArrayKernels.softmaxRows(reference, x, 0, null, 0, 1, rows, n, log, y, 0);
        ArrayKernels.softmaxBackwardRows(reference, y, 0, dy, 0, rows, n, log, dx, 0);
        // L(x) = Σ dy ⊙ softmax(x): dL/dx_i by central differences
        for (int i = 0; i < x.length; i++) {
            double numeric = centralDifference(x, i, values -> {
                double[] out = new double[rows * n];
                ArrayKernels.softmaxRows(reference, values, 0, null, 0, 1, rows, n, log, out, 0);
                return dot(dy, out);
            });
            assertEquals(numeric, dx[i], 1e-8, "softmax" + (log ? " (log)" : "") + " dx[" + i + "]");
        }
    }

    @Property(tries = 30)
    void layerNormBackwardMatchesFiniteDifferences(@ForAll long seed) {
        Random random = new Random(seed);
        int rows = 1 + random.nextInt(3), n = 2 + random.nextInt(6);
        double[] x = RandomLayouts.values(random, rows * n, 2), dy = RandomLayouts.values(random, rows * n, 1);
        double[] gamma = RandomLayouts.values(random, n, 2), beta = RandomLayouts.values(random, n, 1);
        double eps = 1e-5;
        double[] out = new double[rows * n], mean = new double[rows], rstd = new double[rows];
        ArrayKernels.layerNormRows(reference, x, 0, gamma, beta, eps, rows, n, out, 0, mean, rstd);
        double[] dx = new double[rows * n], dGamma = new double[n], dBeta = new double[n];
        ArrayKernels.layerNormBackwardRows(reference, x, 0, gamma, mean, rstd, dy, 0, rows, n, dx, 0, dGamma, dBeta);
        java.util.function.Function<double[][], Double> loss = p -> {
            double[] o = new double[rows * n];
            ArrayKernels.layerNormRows(reference, p[0], 0, p[1], p[2], eps, rows, n, o, 0, new double[rows], new double[rows]);
            return dot(dy, o);
        };
        double[][] params = {x, gamma, beta};
        double[][] analytic = {dx, dGamma, dBeta};
        String[] names = {"dx", "dGamma", "dBeta"};
        for (int p = 0; p < 3; p++) {
            for (int i = 0; i < params[p].length; i++) {
                int which = p;
                double numeric = centralDifference(params[p], i, values -> {
                    double[][] changed = params.clone();
                    changed[which] = values;
                    return loss.apply(changed);
                });
                assertEquals(numeric, analytic[p][i], 1e-7 * Math.max(1, Math.abs(numeric)), names[p] + "[" + i + "]");
            }
        }
    }

    private static double centralDifference(double[] at, int i, java.util.function.ToDoubleFunction<double[]> f) {
        double h = 1e-6;
        double[] plus = at.clone(), minus = at.clone();
        plus[i] += h;
        minus[i] -= h;
        return (f.applyAsDouble(plus) - f.applyAsDouble(minus)) / (2 * h);
    }

    private static double dot(double[] a, double[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) sum += a[i] * b[i];
        return sum;
    }

    // --------------------------------------------------------------------------------------------------- gemm

    @Test
    void gemmOnAHandWorkedExample() {
        double[] a = {1, 2, 3, 4}; // [[1, 2], [3, 4]]
        double[] b = {5, 6, 7, 8}; // [[5, 6], [7, 8]]
        double[] c = new double[4];
        ArrayKernels.gemm(reference, false, false, 2, 2, 2, 1, a, 0, 2, b, 0, 2, 0, c, 0, 2);
        assertArrayEquals(new double[]{19, 22, 43, 50}, c);
        // Aᵀ·B = [[1·5 + 3·7, 1·6 + 3·8], [2·5 + 4·7, 2·6 + 4·8]], then C = 2·AᵀB + 1·C
        ArrayKernels.gemm(reference, true, false, 2, 2, 2, 2, a, 0, 2, b, 0, 2, 1, c, 0, 2);
        assertArrayEquals(new double[]{19 + 52, 22 + 60, 43 + 76, 50 + 88}, c);
        // A·Bᵀ = [[1·5 + 2·6, 1·7 + 2·8], [3·5 + 4·6, 3·7 + 4·8]], into a C with ldc 3 and offset 1, beta 0 over NaN
        double[] wide = {Double.NaN, Double.NaN, Double.NaN, -1, Double.NaN, Double.NaN, -1};
        ArrayKernels.gemm(reference, false, true, 2, 2, 2, 1, a, 0, 2, b, 0, 2, 0, wide, 1, 3);
        assertArrayEquals(new double[]{Double.NaN, 17, 23, -1, 39, 53, -1}, wide);
    }

    @Test
    void gemmBiasAddsTheBiasRowToEveryRowOfTheProduct() {
        double[] a = {1, 2, 3, 4}; // [[1, 2], [3, 4]]
        double[] b = {5, 6, 7, 8}; // [[5, 6], [7, 8]], used as Bᵀ: a linear layer's x · Wᵀ
        double[] bias = {0, 10, -20}; // the bias starts at offset 1
        // A·Bᵀ = [[17, 23], [39, 53]] plus [10, -20] per row, into C with ldc 3 (the third column must stay untouched)
        double[] c = {Double.NaN, Double.NaN, -1, Double.NaN, Double.NaN, -1};
        ArrayKernels.gemmBias(reference, false, true, 2, 2, 2, 1, a, 0, 2, b, 0, 2, c, 0, 3, bias, 1);
        assertArrayEquals(new double[]{27, 3, -1, 49, 33, -1}, c);
        float[] cf = new float[4];
        ArrayKernels.gemmBias(reference, false, true, 2, 2, 2, 2f, new float[]{1, 2, 3, 4}, 0, 2, new float[]{5, 6, 7, 8}, 0, 2,
                cf, 0, 2, new float[]{0, 10, -20}, 1);
        assertArrayEquals(new float[]{44, 26, 88, 86}, cf);
    }
}
