package dev.ranker4j.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Every register-tile family ({@link MicroTile}) returns exactly the bits of the scalar FMA chain
 * ({@link MicroTile#reference}) in each of its three loops, and a whole {@link CpuGemm} gives the same bits on every
 * tile: so a product's result does not depend on which tile the machine picked. The vector width is this JVM's; the
 * surefire executions with {@code -XX:UseAVX=2} and {@code -XX:MaxVectorSize=16} (kernels/pom.xml) run the same
 * checks on 256- and 128-bit vectors, and {@code IsaIndependenceTest} compares the bits across those JVMs.
 */
class MicroTileTest {
    private static final List<String> FAMILIES = List.of("8x2", "6x2", "8x3");
    private static final Parallel POOL = new Parallel(2);

    @AfterAll
    static void close() {
        POOL.close();
    }

    @Test
    void theMachineTilesAreKnownFamilies() {
        String gemm = MicroTile.forGemm().name(), attention = MicroTile.forAttention().name();
        assertEquals(true, FAMILIES.contains(gemm), gemm);
        assertEquals(true, FAMILIES.contains(attention), attention);
        // The attention tile must divide the usual head widths when the vectors are 4 or 8 floats wide.
        if (VectorShape.LANES <= 8) assertEquals(0, 32 % MicroTile.forAttention().columns, "head width 32");
        assertThrows(IllegalArgumentException.class, () -> MicroTile.named("7x7", "8x2"));
    }

    @Test
    void eachLoopEqualsTheScalarChainBitForBit() {
        Random random = new Random(5);
        for (String family : FAMILIES) {
            MicroTile tile = MicroTile.named(family, null);
            int mr = tile.rows, nr = tile.columns;
            for (int depth : new int[] {0, 1, 7, 33, 384}) {
                float[] a = gaussians(random, 3 + (mr + 3) * (depth + 5)), b = gaussians(random, 2 + depth * (nr + 4) + nr);
                float[] expected = new float[mr * nr], actual = new float[mr * nr];
                // packed: A[r, p] at 3 + p·mr + r, B[p, j] at 2 + p·nr + j
                MicroTile.reference(mr, nr, depth, 1f, a, 3, 1, mr, b, 2, nr, expected, 0, nr);
                tile.packed(depth, a, 3, 1, b, 2, actual);
                assertArrayEquals(expected, actual, family + " packed, depth " + depth);
                // in place: row r at 3 + r·(depth + 5) + p
                int lda = depth + 5;
                MicroTile.reference(mr, nr, depth, 1f, a, 3, lda, 1, b, 2, nr, expected, 0, nr);
                tile.inPlace(depth, a, 3, lda, b, 2, actual);
                assertArrayEquals(expected, actual, family + " in place, depth " + depth);
                // strided, A transposed (row step 1, depth step mr + 3), B rows nr + 4 apart, alpha ≠ 1, C with ldc
                float[] c0 = new float[mr * (nr + 3)], c1 = new float[mr * (nr + 3)];
                MicroTile.reference(mr, nr, depth, 0.37f, a, 3, 1, mr + 3, b, 2, nr + 4, c0, 0, nr + 3);
                tile.strided(depth, 0.37f, a, 3, 1, mr + 3, b, 2, nr + 4, c1, 0, nr + 3);
                assertArrayEquals(c0, c1, family + " strided, depth " + depth);
            }
        }
    }

    @Test
    void multiplyCoversRowsShortOfATile() {
        Random random = new Random(6);
        for (String family : FAMILIES) {
            MicroTile tile = MicroTile.named(family, null);
            int cols = 2 * tile.columns, depth = 29;
            for (int rows : new int[] {1, tile.rows - 1, tile.rows, 2 * tile.rows + 3}) {
                float[] a = gaussians(random, rows * depth), b = gaussians(random, depth * cols);
                float[] expected = new float[rows * cols], actual = new float[rows * cols];
                MicroTile.reference(rows, cols, depth, -1.5f, a, 0, depth, 1, b, 0, cols, expected, 0, cols);
                tile.multiply(rows, cols, depth, -1.5f, a, 0, depth, 1, b, 0, cols, actual, 0, cols);
                assertArrayEquals(expected, actual, family + ", " + rows + " rows");
            }
        }
    }

    /**
     * The whole GEMM (packing, both loop orders, edge tiles, alpha, beta, the bias epilogue, all four transpose
     * combinations) gives the same bits on every tile family.
     */
    @Test
    void theGemmIsBitwiseTheSameOnEveryTile() {
        // m, n, k, transA, transB: edge tiles for every family, several depth panels (k > 384), the resident-B order
        int[][] shapes = {{61, 77, 45, 0, 0}, {130, 50, 800, 0, 1}, {97, 200, 390, 1, 0}, {35, 1100, 19, 1, 1},
                {260, 384, 1536, 0, 0}};
        // A single row of A takes GemvF32; its bits are those of the same row inside a larger product.
        rowProductsEqualTheirRowInALargerProduct(new Random(11));
        Random random = new Random(7);
        for (int[] s : shapes) {
            int m = s[0], n = s[1], k = s[2];
            boolean transA = s[3] == 1, transB = s[4] == 1;
            float[] a = gaussians(random, m * k), b = gaussians(random, k * n), c0 = gaussians(random, m * n);
            float[] bias = gaussians(random, n);
            float[] first = null, firstBias = null;
            for (String family : FAMILIES) {
                CpuGemm gemm = new CpuGemm(POOL, MicroTile.named(family, null));
                float[] c = c0.clone(), cb = c0.clone();
                gemm.gemm(transA, transB, m, n, k, 0.75f, a, 0, transA ? m : k, b, 0, transB ? k : n, 0.5f, c, 0, n);
                gemm.gemmBias(transA, transB, m, n, k, 1.25f, a, 0, transA ? m : k, b, 0, transB ? k : n, 0f,
                        cb, 0, n, bias, 0);
                if (first == null) {
                    first = c;
                    firstBias = cb;
                } else {
                    String what = m + "x" + n + "x" + k + " trans " + transA + "/" + transB + ", tile " + family;
                    assertArrayEquals(first, c, what);
                    assertArrayEquals(firstBias, cb, what + " with bias");
                }
            }
        }
    }

    /** Row r of an m-row product, computed as a one-row product (GemvF32), equals the same row of the whole product. */
    private static void rowProductsEqualTheirRowInALargerProduct(Random random) {
        for (int[] s : new int[][] {{9, 1100, 900}, {9, 37, 5}, {9, 600, 384}}) {
            int m = s[0], n = s[1], k = s[2];
            for (boolean transA : new boolean[] {false, true}) {
                float[] a = gaussians(random, m * k), b = gaussians(random, k * n), c0 = gaussians(random, m * n);
                float[] bias = gaussians(random, n);
                int lda = transA ? m : k;
                for (boolean withBias : new boolean[] {false, true}) {
                    float[] whole = c0.clone(), row = c0.clone();
                    CpuGemm gemm = new CpuGemm(POOL);
                    if (withBias) {
                        gemm.gemmBias(transA, false, m, n, k, 0.75f, a, 0, lda, b, 0, n, 0f, whole, 0, n, bias, 0);
                    } else {
                        gemm.gemm(transA, false, m, n, k, 0.75f, a, 0, lda, b, 0, n, 0.5f, whole, 0, n);
                    }
                    for (int r = 0; r < m; r++) {
                        int aRow = transA ? r : r * k;
                        if (withBias) {
                            gemm.gemmBias(transA, false, 1, n, k, 0.75f, a, aRow, lda, b, 0, n, 0f, row, r * n, n, bias, 0);
                        } else {
                            gemm.gemm(transA, false, 1, n, k, 0.75f, a, aRow, lda, b, 0, n, 0.5f, row, r * n, n);
                        }
                    }
                    assertArrayEquals(whole, row, m + "x" + n + "x" + k + " transA " + transA + " bias " + withBias);
                }
            }
        }
    }

    /**
     * Shallow batched products into a fresh C take the unpacked tiles ({@link MicroTile#multiply}); they give the bits
     * of the packed GEMM (each matrix as a single product) on every tile.
     */
    @Test
    void unpackedBatchesEqualThePackedProduct() {
        Random random = new Random(8);
        int batch = 5, m = 67, n = 96, k = 32; // n: whole tiles for 2 and 3 vectors of 4, 8 or 16 lanes
        for (boolean transA : new boolean[] {false, true}) {
            float[] a = gaussians(random, batch * m * k), b = gaussians(random, batch * k * n);
            int lda = transA ? m : k;
            float[] packed = new float[batch * m * n];
            CpuGemm reference = new CpuGemm(POOL, MicroTile.named("8x2", null));
            for (int i = 0; i < batch; i++) {
                reference.gemm(transA, false, m, n, k, 0.5f, a, i * m * k, lda, b, i * k * n, n, 0f, packed, i * m * n, n);
            }
            for (String family : FAMILIES) {
                float[] c = new float[batch * m * n];
                new CpuGemm(POOL, MicroTile.named(family, null)).batchedGemm(batch, transA, false, m, n, k, 0.5f,
                        a, 0, m * k, lda, b, 0, k * n, n, 0f, c, 0, m * n, n);
                assertArrayEquals(packed, c, family + ", transA " + transA);
            }
        }
    }

    private static float[] gaussians(Random random, int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) values[i] = (float) random.nextGaussian();
        return values;
    }
}
