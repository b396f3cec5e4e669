package dev.ranker4j.kernels.cpu;

/**
 * The plain twin of {@link CpuGemm}: C = alpha · op(A) · op(B) + beta · C as three nested loops in double precision,
 * written to be obviously right rather than fast. Float inputs are widened by the tests, which makes this reference
 * more accurate than the float kernel it checks.
 */
final class GemmReference {

    private GemmReference() {
    }

    static void gemm(boolean transA, boolean transB, int m, int n, int k,
                     double alpha, double[] a, int aOff, int lda,
                     double[] b, int bOff, int ldb,
                     double beta, double[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int p = 0; p < k; p++) {
                    double aip = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                    double bpj = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                    sum += aip * bpj;
                }
                int at = cOff + i * ldc + j;
                // beta = 0 overwrites: the old value (possibly NaN) is never read.
                c[at] = beta == 0 ? alpha * sum : alpha * sum + beta * c[at];
            }
        }
    }

    static void batchedGemm(int batch, boolean transA, boolean transB, int m, int n, int k,
                            double alpha, double[] a, int aOff, int strideA, int lda,
                            double[] b, int bOff, int strideB, int ldb,
                            double beta, double[] c, int cOff, int strideC, int ldc) {
        for (int i = 0; i < batch; i++) {
            gemm(transA, transB, m, n, k, alpha, a, aOff + i * strideA, lda, b, bOff + i * strideB, ldb,
                    beta, c, cOff + i * strideC, ldc);
        }
    }
}
