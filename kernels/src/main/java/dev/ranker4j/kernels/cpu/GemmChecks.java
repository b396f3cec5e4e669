package dev.ranker4j.kernels.cpu;

/**
 * Argument checks for GEMM calls, done once up front so that a bad shape fails with a message naming the operand
 * and its numbers instead of an index error deep inside a worker thread.
 */
final class GemmChecks {

    private GemmChecks() {
    }

    static void checkGemm(String op, boolean transA, boolean transB, int m, int n, int k,
                          int aLength, int aOff, int lda, int bLength, int bOff, int ldb,
                          int cLength, int cOff, int ldc) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException(op + ": negative size m=" + m + ", n=" + n + ", k=" + k);
        }
        // A stored as op(A) = [m, k] or, transposed, as [k, m]; likewise B.
        checkMatrix(op, "A", transA ? k : m, transA ? m : k, aLength, aOff, lda, m, n, k);
        checkMatrix(op, "B", transB ? n : k, transB ? k : n, bLength, bOff, ldb, m, n, k);
        checkMatrix(op, "C", m, n, cLength, cOff, ldc, m, n, k);
    }

    static void checkBatched(int batch, boolean transA, boolean transB, int m, int n, int k,
                             int aLength, int aOff, int strideA, int lda,
                             int bLength, int bOff, int strideB, int ldb,
                             int cLength, int cOff, int strideC, int ldc) {
        String op = "batchedGemm";
        if (batch < 0) throw new IllegalArgumentException(op + ": negative batch " + batch);
        if (strideA < 0 || strideB < 0 || strideC < 0) {
            throw new IllegalArgumentException(op + ": negative stride strideA=" + strideA + ", strideB=" + strideB
                    + ", strideC=" + strideC);
        }
        if (batch == 0) return;
        long cExtent = m == 0 || n == 0 ? 0 : (long) (m - 1) * ldc + n;
        if (batch > 1 && strideC < cExtent) {
            throw new IllegalArgumentException(op + ": strideC=" + strideC + " makes the " + m + "x" + n
                    + " outputs (ldc=" + ldc + ") overlap; it must be at least " + cExtent + " (0 cannot broadcast C)");
        }
        // Checking the first and the last matrix covers all of them: the offsets grow linearly.
        checkGemm(op, transA, transB, m, n, k, aLength, aOff, lda, bLength, bOff, ldb, cLength, cOff, ldc);
        long last = batch - 1L;
        checkGemm(op + " (matrix " + last + ")", transA, transB, m, n, k,
                aLength, checkedOffset(op, "A", aOff + last * strideA), lda,
                bLength, checkedOffset(op, "B", bOff + last * strideB), ldb,
                cLength, checkedOffset(op, "C", cOff + last * strideC), ldc);
    }

    /** A bias row of n elements at biasOff; {@code biasLength} is -1 for a null array. */
    static void checkBias(String op, int n, int biasLength, int biasOff) {
        if (biasLength < 0) throw new IllegalArgumentException(op + ": bias is null (use gemm without a bias)");
        if (biasOff < 0 || (long) biasOff + n > biasLength) {
            throw new IllegalArgumentException(op + ": bias of n=" + n + " at offset " + biasOff + " needs "
                    + ((long) biasOff + n) + " elements, array has " + biasLength);
        }
    }

    private static int checkedOffset(String op, String name, long offset) {
        if (offset > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(op + ": the last matrix of " + name + " starts at " + offset
                    + ", beyond any Java array");
        }
        return (int) offset;
    }

    private static void checkMatrix(String op, String name, int rows, int cols, int length, int offset, int ld,
                                    int m, int n, int k) {
        String where = op + "(m=" + m + ", n=" + n + ", k=" + k + "): " + name + " stored as [" + rows + ", " + cols
                + "] with ld=" + ld + " at offset " + offset;
        if (offset < 0) throw new IllegalArgumentException(where + ": negative offset");
        if (ld < cols) throw new IllegalArgumentException(where + ": leading dimension smaller than " + cols);
        if (rows == 0 || cols == 0) return;
        long end = offset + (long) (rows - 1) * ld + cols;
        if (end > length) {
            throw new IllegalArgumentException(where + ": needs " + end + " elements, array has " + length);
        }
    }
}
