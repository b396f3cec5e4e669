package dev.ranker4j.kernels;

import static dev.ranker4j.kernels.KernelCheck.check;
import static dev.ranker4j.kernels.KernelCheck.copy;
import static dev.ranker4j.kernels.KernelCheck.f32;
import static dev.ranker4j.kernels.KernelCheck.f64;

import dev.ranker4j.kernels.KernelCheck.Tolerance;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * CpuBackend vs ReferenceBackend for the row kernels: reductions, argmax, softmax (masked, log) and its backward,
 * layer norm and its backward. Rows are 1–70 long (below, at and above the vector widths), 1–9 rows, F32 and F64.
 * F32 tolerances for sums scale with Σ|terms| (the conditioning of a sum), not with the result.
 */
class RowKernelProperties {

    private static int rowLength(Random random) {
        return random.nextInt(5) == 0 ? 1 : 1 + random.nextInt(70);
    }

    @Property(tries = 150)
    @Covers({"reduceRows"})
    void reduceRowsMatchesReference(@ForAll ReduceOp op, @ForAll boolean f64, @ForAll long seed) {
        Random random = new Random(seed);
        int rows = 1 + random.nextInt(9), n = rowLength(random), xOff = random.nextInt(3), outOff = random.nextInt(3);
        double[] x = RandomLayouts.values(random, xOff + rows * n, 5);
        if (op == ReduceOp.LOG_SUM_EXP && random.nextInt(4) == 0) { // a row of -inf: the sum of exps is 0
            for (int j = 0; j < n; j++) x[xOff + j] = Double.NEGATIVE_INFINITY;
        }
        double absSum = 0;
        for (int i = xOff; i < x.length; i++) absSum = Math.max(absSum, Math.abs(x[i]) * n);
        Tolerance tolerance = switch (op) {
            case SUM -> new Tolerance(0, (f64 ? 1e-14 : 1e-6) * absSum);
            case MEAN -> new Tolerance(0, (f64 ? 1e-14 : 1e-6) * absSum / n);
            case MAX, MIN -> Tolerance.exact();
            case LOG_SUM_EXP -> new Tolerance(f64 ? 1e-13 : 1e-6, f64 ? 1e-13 : 1e-6);
        };
        check("reduceRows " + op + " " + rows + "x" + n, backend -> {
            if (f64) {
                double[] out = new double[outOff + rows];
                ArrayKernels.reduceRows(backend, op, x, xOff, rows, n, out, outOff);
                return new double[][]{out};
            }
            float[] out = new float[outOff + rows];
            ArrayKernels.reduceRows(backend, op, f32(x), xOff, rows, n, out, outOff);
            return new double[][]{f64(out)};
        }, tolerance);
    }

    @Property(tries = 100)
    @Covers({"argmaxRows"})
    void argmaxRowsMatchesReferenceIncludingTies(@ForAll boolean f64, @ForAll long seed) {
        Random random = new Random(seed);
        int rows = 1 + random.nextInt(9), n = rowLength(random), xOff = random.nextInt(3);
        double[] x = random.nextBoolean() ? RandomLayouts.fewValues(random, xOff + rows * n)
                : RandomLayouts.values(random, xOff + rows * n, 3);
        if (random.nextInt(5) == 0) x[xOff + random.nextInt(rows * n)] = Double.NaN; // the reference skips NaN
        check("argmaxRows " + rows + "x" + n, backend -> {
            int[] out = new int[rows + 1];
            if (f64) ArrayKernels.argmaxRows(backend, x, xOff, rows, n, out, 1);
            else ArrayKernels.argmaxRows(backend, f32(x), xOff, rows, n, out, 1);
            return new double[][]{f64(out)};
        }, Tolerance.exact());
    }

    @Property(tries = 200)
    @Covers({"softmaxRows"})
    void softmaxRowsMatchesReference(@ForAll boolean f64, @ForAll boolean log, @ForAll boolean masked,
                                     @ForAll long seed) {
        Random random = new Random(seed);
        int repeat = 1 + random.nextInt(3), maskRows = 1 + random.nextInt(4), rows = repeat * maskRows;
        int n = rowLength(random), xOff = random.nextInt(3), maskOff = random.nextInt(3), outOff = random.nextInt(3);
        double[] x = RandomLayouts.values(random, xOff + rows * n, 6);
        double[] mask = masked ? attentionMask(random, maskOff, maskRows, n) : null;
        Tolerance tolerance = f64 ? new Tolerance(1e-12, 1e-300)
                : log ? new Tolerance(1e-6, 2e-6) : new Tolerance(1e-5, 1e-9);
        check("softmaxRows " + rows + "x" + n + (log ? " log" : "") + (masked ? " masked" : ""), backend -> {
            if (f64) {
                double[] out = new double[outOff + rows * n];
                ArrayKernels.softmaxRows(backend, x, xOff, mask, maskOff, repeat, rows, n, log, out, outOff);
                return new double[][]{out};
            }
            float[] out = new float[outOff + rows * n];
            ArrayKernels.softmaxRows(backend, f32(x), xOff, f32(mask), maskOff, repeat, rows, n, log, out, outOff);
            return new double[][]{f64(out)};
        }, tolerance);
    }

    /** Rows of 0 (keep), −1e9 and −inf (drop) and random values; some rows fully masked one way or the other. */
    private static double[] attentionMask(Random random, int offset, int rows, int n) {
        double[] mask = new double[offset + rows * n];
        for (int r = 0; r < rows; r++) {
            int kind = random.nextInt(6);
            for (int j = 0; j < n; j++) {
                int at = offset + r * n + j;
                mask[at] = switch (kind) {
                    case 0 -> -1e9;                                   // fully masked, finite: must not be NaN
                    case 1 -> Double.NEGATIVE_INFINITY;               // fully masked, infinite: NaN like the reference
                    case 2 -> random.nextBoolean() ? 0 : Double.NEGATIVE_INFINITY;
                    case 3 -> (float) random.nextGaussian();
                    default -> random.nextInt(3) == 0 ? -1e9 : 0;     // padding-style
                };
            }
            if (kind == 2) mask[offset + r * n] = 0; // keep one position
        }
        return mask;
    }

    @Property(tries = 150)
    @Covers({"softmaxBackwardRows"})
    void softmaxBackwardRowsMatchesReference(@ForAll boolean f64, @ForAll boolean log, @ForAll long seed) {
        Random random = new Random(seed);
        int rows = 1 + random.nextInt(9), n = rowLength(random);
        int yOff = random.nextInt(3), dyOff = random.nextInt(3), dxOff = random.nextInt(3);
        double[] y = new double[yOff + rows * n];
        ArrayKernels.softmaxRows(KernelCheck.REFERENCE, RandomLayouts.values(random, rows * n, 4), 0, null, 0, 1, rows, n, log, y, yOff);
        y = KernelCheck.roundedToFloat(y);
        double[] dy = RandomLayouts.values(random, dyOff + rows * n, 2);
        double[] yIn = y;
        // dx is a difference of terms of size |dy|·max(1, |Σ dy|): the absolute tolerance scales with n
        Tolerance tolerance = f64 ? new Tolerance(1e-12, 1e-13 * n) : new Tolerance(1e-5, 2e-6 * n);
        check("softmaxBackwardRows " + rows + "x" + n + (log ? " log" : ""), backend -> {
            if (f64) {
                double[] dx = new double[dxOff + rows * n];
                ArrayKernels.softmaxBackwardRows(backend, yIn, yOff, dy, dyOff, rows, n, log, dx, dxOff);
                return new double[][]{dx};
            }
            float[] dx = new float[dxOff + rows * n];
            ArrayKernels.softmaxBackwardRows(backend, f32(yIn), yOff, f32(dy), dyOff, rows, n, log, dx, dxOff);
            return new double[][]{f64(dx)};
        }, tolerance);
    }

    @Property(tries = 150)
    @Covers({"layerNormRows"})
    void layerNormRowsMatchesReference(@ForAll boolean f64, @ForAll boolean affine, @ForAll long seed) {
        Random random = new Random(seed);
        int rows = 1 + random.nextInt(9), n = rowLength(random), xOff = random.nextInt(3), outOff = random.nextInt(3);
        double[] x = RandomLayouts.values(random, xOff + rows * n, 2);
        double shift = random.nextInt(3) * 3.0; // a mean far from 0 tests the two-pass variance
        for (int i = 0; i < x.length; i++) x[i] = (float) (x[i] + shift);
        double[] gamma = affine ? RandomLayouts.values(random, n, 2) : null;
        double[] beta = affine && random.nextBoolean() ? RandomLayouts.values(random, n, 1) : null;
        double eps = random.nextBoolean() ? 1e-5 : 1e-12;
        // n = 1 or constant rows give rstd = 1/√eps (up to 1e6): compare relative to that scale
        Tolerance tolerance = f64 ? new Tolerance(1e-11, 1e-11) : new Tolerance(2e-5, 2e-5);
        check("layerNormRows " + rows + "x" + n, backend -> {
            if (f64) {
                double[] out = new double[outOff + rows * n], mean = new double[rows], rstd = new double[rows];
                ArrayKernels.layerNormRows(backend, x, xOff, gamma, beta, eps, rows, n, out, outOff, mean, rstd);
                return new double[][]{out, mean, rstd};
            }
            float[] out = new float[outOff + rows * n], mean = new float[rows], rstd = new float[rows];
            ArrayKernels.layerNormRows(backend, f32(x), xOff, f32(gamma), f32(beta), (float) eps, rows, n, out, outOff, mean, rstd);
            return new double[][]{f64(out), f64(mean), f64(rstd)};
        }, tolerance);
    }

    @Property(tries = 150)
    @Covers({"layerNormBackwardRows"})
    void layerNormBackwardRowsMatchesReference(@ForAll boolean f64, @ForAll boolean affine,
                                               @ForAll boolean accumulate, @ForAll long seed) {
        Random random = new Random(seed);
        int rows = 1 + random.nextInt(12), n = 1 + random.nextInt(70);
        int xOff = random.nextInt(3), dyOff = random.nextInt(3), dxOff = random.nextInt(3);
        double[] x = RandomLayouts.values(random, xOff + rows * n, 2);
        double[] gamma = affine ? RandomLayouts.values(random, n, 2) : null;
        double[] mean = new double[rows], rstd = new double[rows];
        ArrayKernels.layerNormRows(KernelCheck.REFERENCE, x, xOff, gamma, null, 1e-5, rows, n, new double[xOff + rows * n], xOff,
                mean, rstd);
        double[] meanIn = KernelCheck.roundedToFloat(mean), rstdIn = KernelCheck.roundedToFloat(rstd);
        double[] dy = RandomLayouts.values(random, dyOff + rows * n, 1);
        double[] dGamma0 = accumulate ? RandomLayouts.values(random, n, 1) : new double[n];
        double[] dBeta0 = random.nextBoolean() ? RandomLayouts.values(random, n, 1) : null;
        Tolerance tolerance = f64 ? new Tolerance(1e-11, 1e-11 * rows) : new Tolerance(1e-4, 2e-5 * rows);
        check("layerNormBackwardRows " + rows + "x" + n, backend -> {
            if (f64) {
                double[] dx = new double[dxOff + rows * n], dGamma = copy(dGamma0), dBeta = copy(dBeta0);
                ArrayKernels.layerNormBackwardRows(backend, x, xOff, gamma, meanIn, rstdIn, dy, dyOff, rows, n, dx, dxOff,
                        dGamma, dBeta);
                return new double[][]{dx, dGamma, dBeta == null ? new double[0] : dBeta};
            }
            float[] dx = new float[dxOff + rows * n], dGamma = f32(dGamma0), dBeta = f32(dBeta0);
            ArrayKernels.layerNormBackwardRows(backend, f32(x), xOff, f32(gamma), f32(meanIn), f32(rstdIn), f32(dy), dyOff, rows, n,
                    dx, dxOff, dGamma, dBeta);
            return new double[][]{f64(dx), f64(dGamma), dBeta == null ? new double[0] : f64(dBeta)};
        }, tolerance);
    }
}
