package dev.ranker4j.kernels.cpu;

import dev.ranker4j.kernels.ArrayKernels;

import java.util.Arrays;
import java.util.Random;

/**
 * One randomly laid-out batched GEMM problem and the check of a fast result against {@link dev.ranker4j.kernels.ReferenceBackend}.
 *
 * <p>Operands are stored with padded leading dimensions and offsets; C is surrounded by cells outside every output
 * matrix, which must come back bit-for-bit unchanged. With beta = 0, C starts as NaN everywhere, which the product
 * must overwrite. Values are small floats (exact in both float and double), so float and double runs see identical
 * inputs; the reference computes in double.
 *
 * <p>Tolerance: a k-term dot product rounded at unit roundoff u is off by at most about k · u · Σ|a||b|
 * (Higham, Accuracy and Stability of Numerical Algorithms, §3.1); we allow (k + 2) · 4u times the same sum computed
 * on absolute values, which also covers the alpha and beta roundings.
 */
record GemmCase(int batch, boolean transA, boolean transB, int m, int n, int k,
                int lda, int ldb, int ldc, int aOff, int bOff, int cOff,
                int strideA, int strideB, int strideC, double alpha, double beta, int threads, long seed) {
    /** The scalar twin every kernel is checked against (double precision, plain loops). */
    private static final dev.ranker4j.kernels.ReferenceBackend REFERENCE = new dev.ranker4j.kernels.ReferenceBackend();


    static final double FLOAT_ROUNDOFF = 0x1p-24;
    static final double DOUBLE_ROUNDOFF = 0x1p-53;

    /** Builds a case from sizes and paddings; a stride of 0 (broadcast) is kept, any other is made large enough. */
    static GemmCase of(int batch, boolean transA, boolean transB, int m, int n, int k,
                       int padA, int padB, int padC, int aOff, int bOff, int cOff,
                       boolean broadcastA, boolean broadcastB, int strideGap,
                       double alpha, double beta, int threads, long seed) {
        int lda = (transA ? m : k) + padA;
        int ldb = (transB ? k : n) + padB;
        int ldc = n + padC;
        int strideA = broadcastA ? 0 : (transA ? k : m) * lda + strideGap;
        int strideB = broadcastB ? 0 : (transB ? n : k) * ldb + strideGap;
        int strideC = m * ldc + strideGap;
        return new GemmCase(batch, transA, transB, m, n, k, lda, ldb, ldc, aOff, bOff, cOff,
                strideA, strideB, strideC, alpha, beta, threads, seed);
    }

    double[] randomA() {
        return random(aOff + (batch - 1) * strideA + (transA ? k : m) * lda + 3, seed);
    }

    double[] randomB() {
        return random(bOff + (batch - 1) * strideB + (transB ? n : k) * ldb + 3, seed + 1);
    }

    /** The initial C: NaN everywhere when beta = 0 (must be ignored), random values otherwise. */
    double[] initialC() {
        int length = cOff + (batch - 1) * strideC + m * ldc + 3;
        if (beta == 0) {
            double[] c = new double[length];
            Arrays.fill(c, Double.NaN);
            return c;
        }
        return random(length, seed + 2);
    }

    /** A bias row for {@code gemmBias}: n values at offset {@link #biasOffset()}. */
    double[] randomBias() {
        return random(biasOffset() + n + 2, seed + 3);
    }

    /** Where the bias row starts (reuses the A offset, to vary it without another field). */
    int biasOffset() {
        return aOff;
    }

    /** Values k/64 for k in [-64, 64]: exact in float, so float and double runs start from the same numbers. */
    private static double[] random(int length, long seed) {
        Random random = new Random(seed);
        double[] values = new double[length];
        for (int i = 0; i < length; i++) values[i] = (random.nextInt(129) - 64) / 64.0;
        return values;
    }

    /** Checks {@code actual} (the fast result, widened to double) against the reference; throws on mismatch. */
    void assertMatchesReference(double[] a, double[] b, double[] initialC, double[] actual, double unitRoundoff) {
        assertMatchesReference(a, b, null, initialC, actual, unitRoundoff);
    }

    /** The same for C = alpha · op(A) · op(B) + beta · C + bias (each row); {@code bias} may be null. */
    void assertMatchesReference(double[] a, double[] b, double[] bias, double[] initialC, double[] actual,
                                double unitRoundoff) {
        double[] expected = initialC.clone();
        ArrayKernels.batchedGemm(REFERENCE, batch, transA, transB, m, n, k, alpha, a, aOff, strideA, lda, b, bOff, strideB,
                ldb, beta, expected, cOff, strideC, ldc);
        double[] magnitude = abs(initialC);
        ArrayKernels.batchedGemm(REFERENCE, batch, transA, transB, m, n, k, Math.abs(alpha), abs(a), aOff, strideA, lda,
                abs(b), bOff, strideB, ldb, Math.abs(beta), magnitude, cOff, strideC, ldc);
        boolean[] written = new boolean[initialC.length];
        for (int i = 0; i < batch; i++) {
            for (int r = 0; r < m; r++) {
                int rowStart = cOff + i * strideC + r * ldc;
                Arrays.fill(written, rowStart, rowStart + n, true);
                if (bias == null) continue;
                for (int j = 0; j < n; j++) {
                    expected[rowStart + j] += bias[biasOffset() + j];
                    magnitude[rowStart + j] += Math.abs(bias[biasOffset() + j]);
                }
            }
        }
        for (int at = 0; at < actual.length; at++) {
            if (!written[at]) {
                if (Double.compare(actual[at], initialC[at]) != 0) {
                    throw new AssertionError(this + ": C[" + at + "] lies outside every output but changed from "
                            + initialC[at] + " to " + actual[at]);
                }
                continue;
            }
            double tolerance = (k + 2) * 4 * unitRoundoff * magnitude[at];
            if (!(Math.abs(actual[at] - expected[at]) <= tolerance)) {
                throw new AssertionError(this + ": C[" + at + "] = " + actual[at] + ", reference " + expected[at]
                        + ", tolerance " + tolerance);
            }
        }
    }

    private static double[] abs(double[] values) {
        double[] result = new double[values.length];
        for (int i = 0; i < values.length; i++) result[i] = Math.abs(values[i]);
        return result;
    }

    static float[] toFloat(double[] values) {
        float[] result = new float[values.length];
        for (int i = 0; i < values.length; i++) result[i] = (float) values[i];
        return result;
    }

    static double[] toDouble(float[] values) {
        double[] result = new double[values.length];
        for (int i = 0; i < values.length; i++) result[i] = values[i];
        return result;
    }
}
