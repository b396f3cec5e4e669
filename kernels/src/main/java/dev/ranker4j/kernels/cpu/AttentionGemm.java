package dev.ranker4j.kernels.cpu;

/**
 * The small float GEMM of the fused attention, forward and backward: C = alpha · A · B on one head's per-thread buffers, whose
 * column counts are padded to the tile's width ({@link #NR}), so nothing is packed.
 *
 * <p>Why not {@link GemmF32}: at one head's sizes (128 × 128 × 32) its packing is the cost, not its FLOPs. Two of the
 * backward's five products take a transposed A (dV = Pᵀ dO, dK = dSᵀ Q), which GemmF32 packs on every call, and
 * two a transposed B (Kᵀ, Vᵀ), which it transposes element by element into its panel: measured on one thread, the
 * transposed-A products took three times as long as the same-sized dQ = dS K. Here A is only ever read by scalar
 * broadcasts, for which its layout does not matter (A[i, p] at {@code aRowStep·i + aDepthStep·p}: Aᵀ is the same
 * matrix with the two steps swapped), and B is always a buffer of contiguous, padded rows that the caller made once
 * per head (Kᵀ and Vᵀ transposed once, then used for a whole [seqQ, seqK] product).
 *
 * <p>Micro-tile: the machine's {@link MicroTile#forAttention} (8 rows × 2 vectors with 32 vector registers, 6 × 2
 * with 16), its {@link MicroTile#strided} loop; rows short of a whole tile are done one at a time. One FMA chain
 * per element over p = 0 … depth − 1 starting from zero and multiplied by alpha at the end: GemmF32's order for a
 * depth up to its panel depth (384), so the backward's recomputed scores equal the forward's, and both equal the
 * composed path's batched GEMM, bit for bit.
 */
final class AttentionGemm {
    private AttentionGemm() {}

    private static final MicroTile TILE = MicroTile.forAttention();
    /** Rows of one tile. */
    static final int MR = TILE.rows;
    /** Columns of one tile (a whole number of vectors): every column count given to {@link #multiply}. */
    static final int NR = TILE.columns;

    /** n rounded up to a whole number of column tiles (a multiple of {@link #NR}). */
    static int padded(int n) {
        return (n + NR - 1) / NR * NR;
    }

    /**
     * C[i, j] = alpha · Σ_{p < depth} A[i, p] · B[p, j] for i < rows and j < cols (a multiple of NR), where
     * A[i, p] = a[aOff + i·aRowStep + p·aDepthStep], B[p, j] = b[bOff + p·ldb + j] and C[i, j] = c[cOff + i·ldc + j].
     * C is written, never read; depth = 0 writes zeros.
     */
    static void multiply(int rows, int cols, int depth, float alpha, float[] a, int aOff, int aRowStep, int aDepthStep,
                         float[] b, int bOff, int ldb, float[] c, int cOff, int ldc) {
        TILE.multiply(rows, cols, depth, alpha, a, aOff, aRowStep, aDepthStep, b, bOff, ldb, c, cOff, ldc);
    }
}
