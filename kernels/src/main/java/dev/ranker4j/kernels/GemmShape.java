package dev.ranker4j.kernels;

/**
 * The sizes of {@code batch} matrix products C = op(A) · op(B): op(A) is [m, k], op(B) is [k, n], C is [m, n], where
 * op(X) is X or, when its flag is set, Xᵀ (read transposed in place, never copied).
 */
public record GemmShape(int batch, boolean transA, boolean transB, int m, int n, int k) {

    /** One product. */
    public static GemmShape of(boolean transA, boolean transB, int m, int n, int k) {
        return new GemmShape(1, transA, transB, m, n, k);
    }
}
