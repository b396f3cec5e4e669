package dev.ranker4j.kernels.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The small float GEMM of the fused attention backward: C = alpha · A · B on one head's per-thread buffers, whose
 * row and column counts are padded to the tile ({@link #MR} rows, {@link #NR} columns), so every tile is full and
 * nothing is packed.
 *
 * <p>Why not {@link GemmF32}: at one head's sizes (128 × 128 × 32) its packing is the cost, not its FLOPs. Two of the
 * backward's five products take a transposed A (dV = Pᵀ dO, dK = dSᵀ Q), which GemmF32 packs on every call, and
 * two a transposed B (Kᵀ, Vᵀ), which it transposes element by element into its panel: measured on one thread, the
 * transposed-A products took three times as long as the same-sized dQ = dS K. Here A is only ever read by scalar
 * broadcasts, for which its layout does not matter (A[i, p] at {@code aRowStep·i + aDepthStep·p}: Aᵀ is the same
 * matrix with the two steps swapped), and B is always a buffer of contiguous, padded rows that the caller made once
 * per head (Kᵀ and Vᵀ transposed once, then used for a whole [seqQ, seqK] product).
 *
 * <p>Micro-tile as GemmF32's: {@value #MR} rows × 2 vectors, 16 accumulators, one FMA chain per element over
 * p = 0 … depth − 1 starting from zero and multiplied by alpha at the end. That is GemmF32's order for a depth up
 * to its panel depth (384), so the recomputed scores scale · Q Kᵀ equal the forward's bit for bit.
 */
final class AttentionGemm {
    private AttentionGemm() {}

    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    static final int LANES = SPECIES.length();
    static final int MR = 8;
    static final int NR = 2 * LANES;

    /** n rounded up to a whole number of column tiles (a multiple of {@link #NR}, itself a multiple of MR). */
    static int padded(int n) {
        return (n + NR - 1) / NR * NR;
    }

    /**
     * C[i, j] = alpha · Σ_{p < depth} A[i, p] · B[p, j] for i < rows (a multiple of MR) and j < cols (a multiple of
     * NR), where A[i, p] = a[aOff + i·aRowStep + p·aDepthStep], B[p, j] = b[bOff + p·ldb + j] and
     * C[i, j] = c[cOff + i·ldc + j]. C is written, never read; depth = 0 writes zeros.
     */
    static void multiply(int rows, int cols, int depth, float alpha, float[] a, int aOff, int aRowStep, int aDepthStep,
                         float[] b, int bOff, int ldb, float[] c, int cOff, int ldc) {
        // Column tiles outside: one B sliver (depth × NR, 16 KiB at depth 128) stays in L1 across all row tiles.
        for (int j = 0; j < cols; j += NR) {
            for (int i = 0; i < rows; i += MR) {
                tile(depth, alpha, a, aOff + i * aRowStep, aRowStep, aDepthStep, b, bOff + j, ldb, c, cOff + i * ldc + j, ldc);
            }
        }
    }

    private static void tile(int depth, float alpha, float[] a, int aAt, int rowStep, int depthStep,
                             float[] b, int bAt, int ldb, float[] c, int cAt, int ldc) {
        FloatVector c00 = FloatVector.zero(SPECIES), c01 = FloatVector.zero(SPECIES);
        FloatVector c10 = FloatVector.zero(SPECIES), c11 = FloatVector.zero(SPECIES);
        FloatVector c20 = FloatVector.zero(SPECIES), c21 = FloatVector.zero(SPECIES);
        FloatVector c30 = FloatVector.zero(SPECIES), c31 = FloatVector.zero(SPECIES);
        FloatVector c40 = FloatVector.zero(SPECIES), c41 = FloatVector.zero(SPECIES);
        FloatVector c50 = FloatVector.zero(SPECIES), c51 = FloatVector.zero(SPECIES);
        FloatVector c60 = FloatVector.zero(SPECIES), c61 = FloatVector.zero(SPECIES);
        FloatVector c70 = FloatVector.zero(SPECIES), c71 = FloatVector.zero(SPECIES);
        int r1 = rowStep, r2 = 2 * rowStep, r3 = 3 * rowStep, r4 = 4 * rowStep;
        int r5 = 5 * rowStep, r6 = 6 * rowStep, r7 = 7 * rowStep;
        for (int p = 0; p < depth; p++) {
            int ai = aAt + p * depthStep;
            int bi = bAt + p * ldb;
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bi);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bi + LANES);
            FloatVector av = FloatVector.broadcast(SPECIES, a[ai]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(SPECIES, a[ai + r1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(SPECIES, a[ai + r2]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(SPECIES, a[ai + r3]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            av = FloatVector.broadcast(SPECIES, a[ai + r4]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
            av = FloatVector.broadcast(SPECIES, a[ai + r5]);
            c50 = av.fma(b0, c50);
            c51 = av.fma(b1, c51);
            av = FloatVector.broadcast(SPECIES, a[ai + r6]);
            c60 = av.fma(b0, c60);
            c61 = av.fma(b1, c61);
            av = FloatVector.broadcast(SPECIES, a[ai + r7]);
            c70 = av.fma(b0, c70);
            c71 = av.fma(b1, c71);
        }
        c00.mul(alpha).intoArray(c, cAt);
        c01.mul(alpha).intoArray(c, cAt + LANES);
        c10.mul(alpha).intoArray(c, cAt + ldc);
        c11.mul(alpha).intoArray(c, cAt + ldc + LANES);
        c20.mul(alpha).intoArray(c, cAt + 2 * ldc);
        c21.mul(alpha).intoArray(c, cAt + 2 * ldc + LANES);
        c30.mul(alpha).intoArray(c, cAt + 3 * ldc);
        c31.mul(alpha).intoArray(c, cAt + 3 * ldc + LANES);
        c40.mul(alpha).intoArray(c, cAt + 4 * ldc);
        c41.mul(alpha).intoArray(c, cAt + 4 * ldc + LANES);
        c50.mul(alpha).intoArray(c, cAt + 5 * ldc);
        c51.mul(alpha).intoArray(c, cAt + 5 * ldc + LANES);
        c60.mul(alpha).intoArray(c, cAt + 6 * ldc);
        c61.mul(alpha).intoArray(c, cAt + 6 * ldc + LANES);
        c70.mul(alpha).intoArray(c, cAt + 7 * ldc);
        c71.mul(alpha).intoArray(c, cAt + 7 * ldc + LANES);
    }
}
