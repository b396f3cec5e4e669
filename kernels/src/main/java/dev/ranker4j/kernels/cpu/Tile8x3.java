package dev.ranker4j.kernels.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The 8 rows × 3 vectors register tile for 128-bit vectors with 32 registers (NEON, SVE-128; emulated on x86 by
 * AVX-512 capped at {@code -XX:MaxVectorSize=16}): 24 accumulators + 3 B vectors + 1 broadcast = 28 registers, the shape
 * of BLIS's ARMv8 sgemm (8 × 12). With 4-lane vectors a tile needs many accumulators to keep the FMA pipes busy; each
 * depth step loads 3 B vectors and broadcasts 8 A values for 24 FMAs (11 loads per 24 FMAs).
 *
 * <p>Three loops with one body (see {@link MicroTile} for the operand layouts); {@link MicroTile#reference} is the
 * scalar twin they equal bit for bit.
 */
final class Tile8x3 extends MicroTile {
    private static final VectorSpecies<Float> SPECIES = VectorShape.SPECIES;
    private static final int LANES = VectorShape.LANES;
    private static final int ROWS = 8;
    private static final int COLUMNS = 3 * LANES;

    Tile8x3() {
        super(ROWS, 3);
    }

    @Override
    void packed(int depth, float[] a, int aAt, int rowStep, float[] b, int bAt, float[] tile) {
        FloatVector c00 = FloatVector.zero(SPECIES), c01 = FloatVector.zero(SPECIES), c02 = FloatVector.zero(SPECIES);
        FloatVector c10 = FloatVector.zero(SPECIES), c11 = FloatVector.zero(SPECIES), c12 = FloatVector.zero(SPECIES);
        FloatVector c20 = FloatVector.zero(SPECIES), c21 = FloatVector.zero(SPECIES), c22 = FloatVector.zero(SPECIES);
        FloatVector c30 = FloatVector.zero(SPECIES), c31 = FloatVector.zero(SPECIES), c32 = FloatVector.zero(SPECIES);
        FloatVector c40 = FloatVector.zero(SPECIES), c41 = FloatVector.zero(SPECIES), c42 = FloatVector.zero(SPECIES);
        FloatVector c50 = FloatVector.zero(SPECIES), c51 = FloatVector.zero(SPECIES), c52 = FloatVector.zero(SPECIES);
        FloatVector c60 = FloatVector.zero(SPECIES), c61 = FloatVector.zero(SPECIES), c62 = FloatVector.zero(SPECIES);
        FloatVector c70 = FloatVector.zero(SPECIES), c71 = FloatVector.zero(SPECIES), c72 = FloatVector.zero(SPECIES);
        int r1 = rowStep, r2 = 2 * rowStep, r3 = 3 * rowStep, r4 = 4 * rowStep, r5 = 5 * rowStep, r6 = 6 * rowStep, r7 = 7 * rowStep;
        for (int p = 0; p < depth; p++) {
            int ai = aAt + p * ROWS;
            int bi = bAt + p * COLUMNS;
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bi);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bi + LANES);
            FloatVector b2 = FloatVector.fromArray(SPECIES, b, bi + 2 * LANES);
            FloatVector av = FloatVector.broadcast(SPECIES, a[ai]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            c02 = av.fma(b2, c02);
            av = FloatVector.broadcast(SPECIES, a[ai + r1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            c12 = av.fma(b2, c12);
            av = FloatVector.broadcast(SPECIES, a[ai + r2]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            c22 = av.fma(b2, c22);
            av = FloatVector.broadcast(SPECIES, a[ai + r3]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            c32 = av.fma(b2, c32);
            av = FloatVector.broadcast(SPECIES, a[ai + r4]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
            c42 = av.fma(b2, c42);
            av = FloatVector.broadcast(SPECIES, a[ai + r5]);
            c50 = av.fma(b0, c50);
            c51 = av.fma(b1, c51);
            c52 = av.fma(b2, c52);
            av = FloatVector.broadcast(SPECIES, a[ai + r6]);
            c60 = av.fma(b0, c60);
            c61 = av.fma(b1, c61);
            c62 = av.fma(b2, c62);
            av = FloatVector.broadcast(SPECIES, a[ai + r7]);
            c70 = av.fma(b0, c70);
            c71 = av.fma(b1, c71);
            c72 = av.fma(b2, c72);
        }
        c00.intoArray(tile, 0);
        c01.intoArray(tile, LANES);
        c02.intoArray(tile, 2 * LANES);
        c10.intoArray(tile, COLUMNS);
        c11.intoArray(tile, COLUMNS + LANES);
        c12.intoArray(tile, COLUMNS + 2 * LANES);
        c20.intoArray(tile, 2 * COLUMNS);
        c21.intoArray(tile, 2 * COLUMNS + LANES);
        c22.intoArray(tile, 2 * COLUMNS + 2 * LANES);
        c30.intoArray(tile, 3 * COLUMNS);
        c31.intoArray(tile, 3 * COLUMNS + LANES);
        c32.intoArray(tile, 3 * COLUMNS + 2 * LANES);
        c40.intoArray(tile, 4 * COLUMNS);
        c41.intoArray(tile, 4 * COLUMNS + LANES);
        c42.intoArray(tile, 4 * COLUMNS + 2 * LANES);
        c50.intoArray(tile, 5 * COLUMNS);
        c51.intoArray(tile, 5 * COLUMNS + LANES);
        c52.intoArray(tile, 5 * COLUMNS + 2 * LANES);
        c60.intoArray(tile, 6 * COLUMNS);
        c61.intoArray(tile, 6 * COLUMNS + LANES);
        c62.intoArray(tile, 6 * COLUMNS + 2 * LANES);
        c70.intoArray(tile, 7 * COLUMNS);
        c71.intoArray(tile, 7 * COLUMNS + LANES);
        c72.intoArray(tile, 7 * COLUMNS + 2 * LANES);
    }

    @Override
    void inPlace(int depth, float[] a, int aAt, int lda, float[] b, int bAt, float[] tile) {
        FloatVector c00 = FloatVector.zero(SPECIES), c01 = FloatVector.zero(SPECIES), c02 = FloatVector.zero(SPECIES);
        FloatVector c10 = FloatVector.zero(SPECIES), c11 = FloatVector.zero(SPECIES), c12 = FloatVector.zero(SPECIES);
        FloatVector c20 = FloatVector.zero(SPECIES), c21 = FloatVector.zero(SPECIES), c22 = FloatVector.zero(SPECIES);
        FloatVector c30 = FloatVector.zero(SPECIES), c31 = FloatVector.zero(SPECIES), c32 = FloatVector.zero(SPECIES);
        FloatVector c40 = FloatVector.zero(SPECIES), c41 = FloatVector.zero(SPECIES), c42 = FloatVector.zero(SPECIES);
        FloatVector c50 = FloatVector.zero(SPECIES), c51 = FloatVector.zero(SPECIES), c52 = FloatVector.zero(SPECIES);
        FloatVector c60 = FloatVector.zero(SPECIES), c61 = FloatVector.zero(SPECIES), c62 = FloatVector.zero(SPECIES);
        FloatVector c70 = FloatVector.zero(SPECIES), c71 = FloatVector.zero(SPECIES), c72 = FloatVector.zero(SPECIES);
        int r1 = lda, r2 = 2 * lda, r3 = 3 * lda, r4 = 4 * lda, r5 = 5 * lda, r6 = 6 * lda, r7 = 7 * lda;
        for (int p = 0; p < depth; p++) {
            int ai = aAt + p;
            int bi = bAt + p * COLUMNS;
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bi);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bi + LANES);
            FloatVector b2 = FloatVector.fromArray(SPECIES, b, bi + 2 * LANES);
            FloatVector av = FloatVector.broadcast(SPECIES, a[ai]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            c02 = av.fma(b2, c02);
            av = FloatVector.broadcast(SPECIES, a[ai + r1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            c12 = av.fma(b2, c12);
            av = FloatVector.broadcast(SPECIES, a[ai + r2]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            c22 = av.fma(b2, c22);
            av = FloatVector.broadcast(SPECIES, a[ai + r3]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            c32 = av.fma(b2, c32);
            av = FloatVector.broadcast(SPECIES, a[ai + r4]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
            c42 = av.fma(b2, c42);
            av = FloatVector.broadcast(SPECIES, a[ai + r5]);
            c50 = av.fma(b0, c50);
            c51 = av.fma(b1, c51);
            c52 = av.fma(b2, c52);
            av = FloatVector.broadcast(SPECIES, a[ai + r6]);
            c60 = av.fma(b0, c60);
            c61 = av.fma(b1, c61);
            c62 = av.fma(b2, c62);
            av = FloatVector.broadcast(SPECIES, a[ai + r7]);
            c70 = av.fma(b0, c70);
            c71 = av.fma(b1, c71);
            c72 = av.fma(b2, c72);
        }
        c00.intoArray(tile, 0);
        c01.intoArray(tile, LANES);
        c02.intoArray(tile, 2 * LANES);
        c10.intoArray(tile, COLUMNS);
        c11.intoArray(tile, COLUMNS + LANES);
        c12.intoArray(tile, COLUMNS + 2 * LANES);
        c20.intoArray(tile, 2 * COLUMNS);
        c21.intoArray(tile, 2 * COLUMNS + LANES);
        c22.intoArray(tile, 2 * COLUMNS + 2 * LANES);
        c30.intoArray(tile, 3 * COLUMNS);
        c31.intoArray(tile, 3 * COLUMNS + LANES);
        c32.intoArray(tile, 3 * COLUMNS + 2 * LANES);
        c40.intoArray(tile, 4 * COLUMNS);
        c41.intoArray(tile, 4 * COLUMNS + LANES);
        c42.intoArray(tile, 4 * COLUMNS + 2 * LANES);
        c50.intoArray(tile, 5 * COLUMNS);
        c51.intoArray(tile, 5 * COLUMNS + LANES);
        c52.intoArray(tile, 5 * COLUMNS + 2 * LANES);
        c60.intoArray(tile, 6 * COLUMNS);
        c61.intoArray(tile, 6 * COLUMNS + LANES);
        c62.intoArray(tile, 6 * COLUMNS + 2 * LANES);
        c70.intoArray(tile, 7 * COLUMNS);
        c71.intoArray(tile, 7 * COLUMNS + LANES);
        c72.intoArray(tile, 7 * COLUMNS + 2 * LANES);
    }

    @Override
    void strided(int depth, float alpha, float[] a, int aAt, int rowStep, int depthStep,
                 float[] b, int bAt, int ldb, float[] c, int cAt, int ldc) {
        FloatVector c00 = FloatVector.zero(SPECIES), c01 = FloatVector.zero(SPECIES), c02 = FloatVector.zero(SPECIES);
        FloatVector c10 = FloatVector.zero(SPECIES), c11 = FloatVector.zero(SPECIES), c12 = FloatVector.zero(SPECIES);
        FloatVector c20 = FloatVector.zero(SPECIES), c21 = FloatVector.zero(SPECIES), c22 = FloatVector.zero(SPECIES);
        FloatVector c30 = FloatVector.zero(SPECIES), c31 = FloatVector.zero(SPECIES), c32 = FloatVector.zero(SPECIES);
        FloatVector c40 = FloatVector.zero(SPECIES), c41 = FloatVector.zero(SPECIES), c42 = FloatVector.zero(SPECIES);
        FloatVector c50 = FloatVector.zero(SPECIES), c51 = FloatVector.zero(SPECIES), c52 = FloatVector.zero(SPECIES);
        FloatVector c60 = FloatVector.zero(SPECIES), c61 = FloatVector.zero(SPECIES), c62 = FloatVector.zero(SPECIES);
        FloatVector c70 = FloatVector.zero(SPECIES), c71 = FloatVector.zero(SPECIES), c72 = FloatVector.zero(SPECIES);
        int r1 = rowStep, r2 = 2 * rowStep, r3 = 3 * rowStep, r4 = 4 * rowStep, r5 = 5 * rowStep, r6 = 6 * rowStep, r7 = 7 * rowStep;
        for (int p = 0; p < depth; p++) {
            int ai = aAt + p * depthStep;
            int bi = bAt + p * ldb;
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bi);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bi + LANES);
            FloatVector b2 = FloatVector.fromArray(SPECIES, b, bi + 2 * LANES);
            FloatVector av = FloatVector.broadcast(SPECIES, a[ai]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            c02 = av.fma(b2, c02);
            av = FloatVector.broadcast(SPECIES, a[ai + r1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            c12 = av.fma(b2, c12);
            av = FloatVector.broadcast(SPECIES, a[ai + r2]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            c22 = av.fma(b2, c22);
            av = FloatVector.broadcast(SPECIES, a[ai + r3]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            c32 = av.fma(b2, c32);
            av = FloatVector.broadcast(SPECIES, a[ai + r4]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
            c42 = av.fma(b2, c42);
            av = FloatVector.broadcast(SPECIES, a[ai + r5]);
            c50 = av.fma(b0, c50);
            c51 = av.fma(b1, c51);
            c52 = av.fma(b2, c52);
            av = FloatVector.broadcast(SPECIES, a[ai + r6]);
            c60 = av.fma(b0, c60);
            c61 = av.fma(b1, c61);
            c62 = av.fma(b2, c62);
            av = FloatVector.broadcast(SPECIES, a[ai + r7]);
            c70 = av.fma(b0, c70);
            c71 = av.fma(b1, c71);
            c72 = av.fma(b2, c72);
        }
        c00.mul(alpha).intoArray(c, cAt);
        c01.mul(alpha).intoArray(c, cAt + LANES);
        c02.mul(alpha).intoArray(c, cAt + 2 * LANES);
        c10.mul(alpha).intoArray(c, cAt + ldc);
        c11.mul(alpha).intoArray(c, cAt + ldc + LANES);
        c12.mul(alpha).intoArray(c, cAt + ldc + 2 * LANES);
        c20.mul(alpha).intoArray(c, cAt + 2 * ldc);
        c21.mul(alpha).intoArray(c, cAt + 2 * ldc + LANES);
        c22.mul(alpha).intoArray(c, cAt + 2 * ldc + 2 * LANES);
        c30.mul(alpha).intoArray(c, cAt + 3 * ldc);
        c31.mul(alpha).intoArray(c, cAt + 3 * ldc + LANES);
        c32.mul(alpha).intoArray(c, cAt + 3 * ldc + 2 * LANES);
        c40.mul(alpha).intoArray(c, cAt + 4 * ldc);
        c41.mul(alpha).intoArray(c, cAt + 4 * ldc + LANES);
        c42.mul(alpha).intoArray(c, cAt + 4 * ldc + 2 * LANES);
        c50.mul(alpha).intoArray(c, cAt + 5 * ldc);
        c51.mul(alpha).intoArray(c, cAt + 5 * ldc + LANES);
        c52.mul(alpha).intoArray(c, cAt + 5 * ldc + 2 * LANES);
        c60.mul(alpha).intoArray(c, cAt + 6 * ldc);
        c61.mul(alpha).intoArray(c, cAt + 6 * ldc + LANES);
        c62.mul(alpha).intoArray(c, cAt + 6 * ldc + 2 * LANES);
        c70.mul(alpha).intoArray(c, cAt + 7 * ldc);
        c71.mul(alpha).intoArray(c, cAt + 7 * ldc + LANES);
        c72.mul(alpha).intoArray(c, cAt + 7 * ldc + 2 * LANES);
    }
}
