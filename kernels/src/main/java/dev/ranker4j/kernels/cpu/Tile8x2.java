package dev.ranker4j.kernels.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The 8 rows × 2 vectors register tile: 16 accumulators + 2 B vectors + 1 broadcast = 19 vector registers, for
 * machines with 32 (AVX-512, and NEON/SVE when {@link MicroTile#forAttention} picks it). Each depth step loads 2 B
 * vectors and broadcasts 8 A values for 16 independent FMAs (10 loads per 16 FMAs): enough chains in flight for
 * 2 FMA pipes × 4 cycles of latency. With 16 registers it spills (AVX2 ran the GEMM at half of ONNX Runtime's speed
 * with it): {@link Tile6x2} is the AVX2 tile.
 *
 * <p>Three loops with one body (see {@link MicroTile} for the operand layouts); {@link MicroTile#reference} is the
 * scalar twin they equal bit for bit.
 */
final class Tile8x2 extends MicroTile {
    private static final VectorSpecies<Float> SPECIES = VectorShape.SPECIES;
    private static final int LANES = VectorShape.LANES;
    private static final int ROWS = 8;
    private static final int COLUMNS = 2 * LANES;

    Tile8x2() {
        super(ROWS, 2);
    }

    @Override
    void packed(int depth, float[] a, int aAt, int rowStep, float[] b, int bAt, float[] tile) {
        FloatVector c00 = FloatVector.zero(SPECIES), c01 = FloatVector.zero(SPECIES);
        FloatVector c10 = FloatVector.zero(SPECIES), c11 = FloatVector.zero(SPECIES);
        FloatVector c20 = FloatVector.zero(SPECIES), c21 = FloatVector.zero(SPECIES);
        FloatVector c30 = FloatVector.zero(SPECIES), c31 = FloatVector.zero(SPECIES);
        FloatVector c40 = FloatVector.zero(SPECIES), c41 = FloatVector.zero(SPECIES);
        FloatVector c50 = FloatVector.zero(SPECIES), c51 = FloatVector.zero(SPECIES);
        FloatVector c60 = FloatVector.zero(SPECIES), c61 = FloatVector.zero(SPECIES);
        FloatVector c70 = FloatVector.zero(SPECIES), c71 = FloatVector.zero(SPECIES);
        int r1 = rowStep, r2 = 2 * rowStep, r3 = 3 * rowStep, r4 = 4 * rowStep, r5 = 5 * rowStep, r6 = 6 * rowStep, r7 = 7 * rowStep;
        for (int p = 0; p < depth; p++) {
            int ai = aAt + p * ROWS;
            int bi = bAt + p * COLUMNS;
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
        c00.intoArray(tile, 0);
        c01.intoArray(tile, LANES);
        c10.intoArray(tile, COLUMNS);
        c11.intoArray(tile, COLUMNS + LANES);
        c20.intoArray(tile, 2 * COLUMNS);
        c21.intoArray(tile, 2 * COLUMNS + LANES);
        c30.intoArray(tile, 3 * COLUMNS);
        c31.intoArray(tile, 3 * COLUMNS + LANES);
        c40.intoArray(tile, 4 * COLUMNS);
        c41.intoArray(tile, 4 * COLUMNS + LANES);
        c50.intoArray(tile, 5 * COLUMNS);
        c51.intoArray(tile, 5 * COLUMNS + LANES);
        c60.intoArray(tile, 6 * COLUMNS);
        c61.intoArray(tile, 6 * COLUMNS + LANES);
        c70.intoArray(tile, 7 * COLUMNS);
        c71.intoArray(tile, 7 * COLUMNS + LANES);
    }

    @Override
    void inPlace(int depth, float[] a, int aAt, int lda, float[] b, int bAt, float[] tile) {
        FloatVector c00 = FloatVector.zero(SPECIES), c01 = FloatVector.zero(SPECIES);
        FloatVector c10 = FloatVector.zero(SPECIES), c11 = FloatVector.zero(SPECIES);
        FloatVector c20 = FloatVector.zero(SPECIES), c21 = FloatVector.zero(SPECIES);
        FloatVector c30 = FloatVector.zero(SPECIES), c31 = FloatVector.zero(SPECIES);
        FloatVector c40 = FloatVector.zero(SPECIES), c41 = FloatVector.zero(SPECIES);
        FloatVector c50 = FloatVector.zero(SPECIES), c51 = FloatVector.zero(SPECIES);
        FloatVector c60 = FloatVector.zero(SPECIES), c61 = FloatVector.zero(SPECIES);
        FloatVector c70 = FloatVector.zero(SPECIES), c71 = FloatVector.zero(SPECIES);
        int r1 = lda, r2 = 2 * lda, r3 = 3 * lda, r4 = 4 * lda, r5 = 5 * lda, r6 = 6 * lda, r7 = 7 * lda;
        for (int p = 0; p < depth; p++) {
            int ai = aAt + p;
            int bi = bAt + p * COLUMNS;
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
        c00.intoArray(tile, 0);
        c01.intoArray(tile, LANES);
        c10.intoArray(tile, COLUMNS);
        c11.intoArray(tile, COLUMNS + LANES);
        c20.intoArray(tile, 2 * COLUMNS);
        c21.intoArray(tile, 2 * COLUMNS + LANES);
        c30.intoArray(tile, 3 * COLUMNS);
        c31.intoArray(tile, 3 * COLUMNS + LANES);
        c40.intoArray(tile, 4 * COLUMNS);
        c41.intoArray(tile, 4 * COLUMNS + LANES);
        c50.intoArray(tile, 5 * COLUMNS);
        c51.intoArray(tile, 5 * COLUMNS + LANES);
        c60.intoArray(tile, 6 * COLUMNS);
        c61.intoArray(tile, 6 * COLUMNS + LANES);
        c70.intoArray(tile, 7 * COLUMNS);
        c71.intoArray(tile, 7 * COLUMNS + LANES);
    }

    @Override
    void strided(int depth, float alpha, float[] a, int aAt, int rowStep, int depthStep,
                 float[] b, int bAt, int ldb, float[] c, int cAt, int ldc) {
        FloatVector c00 = FloatVector.zero(SPECIES), c01 = FloatVector.zero(SPECIES);
        FloatVector c10 = FloatVector.zero(SPECIES), c11 = FloatVector.zero(SPECIES);
        FloatVector c20 = FloatVector.zero(SPECIES), c21 = FloatVector.zero(SPECIES);
        FloatVector c30 = FloatVector.zero(SPECIES), c31 = FloatVector.zero(SPECIES);
        FloatVector c40 = FloatVector.zero(SPECIES), c41 = FloatVector.zero(SPECIES);
        FloatVector c50 = FloatVector.zero(SPECIES), c51 = FloatVector.zero(SPECIES);
        FloatVector c60 = FloatVector.zero(SPECIES), c61 = FloatVector.zero(SPECIES);
        FloatVector c70 = FloatVector.zero(SPECIES), c71 = FloatVector.zero(SPECIES);
        int r1 = rowStep, r2 = 2 * rowStep, r3 = 3 * rowStep, r4 = 4 * rowStep, r5 = 5 * rowStep, r6 = 6 * rowStep, r7 = 7 * rowStep;
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
