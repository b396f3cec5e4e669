package dev.ranker4j.kernels.cpu;

import static dev.ranker4j.kernels.cpu.VectorMath.D;
import static dev.ranker4j.kernels.cpu.VectorMath.F;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;

/**
 * TEMPORARY stand-in for {@code CpuGemm} (the blocked, packed GEMM written on branch {@code gemm}) with the same
 * API, so CpuBackend is complete until it is merged; delete this class then. A plain row-of-C loop: rows split
 * across threads, and for op(B) = B the j loop vectorised as C[i, :] += a_ip · B[p, :]. Correct, not fast.
 */
final class ScalarGemmPlaceholder {
    private final Parallel parallel;

    ScalarGemmPlaceholder(Parallel parallel) {
        this.parallel = parallel;
    }

    void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
              float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        parallel.forRange(m, Math.max(1, 16384 / Math.max(1, n * k)), (from, to) -> {
            float[] row = new float[n];
            for (int i = from; i < to; i++) {
                java.util.Arrays.fill(row, 0f);
                for (int p = 0; p < k; p++) {
                    float aip = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                    int j = 0;
                    if (!transB) {
                        for (int bound = F.loopBound(n); j < bound; j += F.length()) {
                            FloatVector.fromArray(F, b, bOff + p * ldb + j)
                                    .fma(FloatVector.broadcast(F, aip), FloatVector.fromArray(F, row, j)).intoArray(row, j);
                        }
                    }
                    for (; j < n; j++) row[j] += aip * (transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j]);
                }
                int ci = cOff + i * ldc;
                for (int j = 0; j < n; j++) c[ci + j] = beta == 0 ? alpha * row[j] : alpha * row[j] + beta * c[ci + j];
            }
        });
    }

    void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a, int aOff, int lda,
              double[] b, int bOff, int ldb, double beta, double[] c, int cOff, int ldc) {
        parallel.forRange(m, Math.max(1, 16384 / Math.max(1, n * k)), (from, to) -> {
            double[] row = new double[n];
            for (int i = from; i < to; i++) {
                java.util.Arrays.fill(row, 0);
                for (int p = 0; p < k; p++) {
                    double aip = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                    int j = 0;
                    if (!transB) {
                        for (int bound = D.loopBound(n); j < bound; j += D.length()) {
                            DoubleVector.fromArray(D, b, bOff + p * ldb + j)
                                    .fma(DoubleVector.broadcast(D, aip), DoubleVector.fromArray(D, row, j)).intoArray(row, j);
                        }
                    }
                    for (; j < n; j++) row[j] += aip * (transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j]);
                }
                int ci = cOff + i * ldc;
                for (int j = 0; j < n; j++) c[ci + j] = beta == 0 ? alpha * row[j] : alpha * row[j] + beta * c[ci + j];
            }
        });
    }

    void batchedGemm(int batch, boolean transA, boolean transB, int m, int n, int k, float alpha,
                     float[] a, int aOff, int strideA, int lda, float[] b, int bOff, int strideB, int ldb,
                     float beta, float[] c, int cOff, int strideC, int ldc) {
        for (int i = 0; i < batch; i++) {
            gemm(transA, transB, m, n, k, alpha, a, aOff + i * strideA, lda, b, bOff + i * strideB, ldb,
                    beta, c, cOff + i * strideC, ldc);
        }
    }

    void batchedGemm(int batch, boolean transA, boolean transB, int m, int n, int k, double alpha,
                     double[] a, int aOff, int strideA, int lda, double[] b, int bOff, int strideB, int ldb,
                     double beta, double[] c, int cOff, int strideC, int ldc) {
        for (int i = 0; i < batch; i++) {
            gemm(transA, transB, m, n, k, alpha, a, aOff + i * strideA, lda, b, bOff + i * strideB, ldb,
                    beta, c, cOff + i * strideC, ldc);
        }
    }
}
