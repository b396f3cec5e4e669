package dev.ranker4j.kernels.cpu;

import dev.ranker4j.kernels.ArrayKernels;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * {@link CpuGemm} returns bitwise the same C for 1, 2 and 3 threads on products large enough to really be split:
 * by row slivers, by column slivers (few rows), with k spanning several depth panels and n several column panels,
 * and batches with fewer and more matrices than threads. Why it holds: every element of C is one FMA chain over
 * the same depth panels (their size depends on k only), and a split only decides which thread runs a micro-tile;
 * split points fall on micro-tile boundaries, so even which tiles are partial (a scalar write-back) does not change.
 * (The backend properties check this too, but on products too small to be split at all.)
 */
class GemmThreadCountTest {

    private static final Parallel[] POOLS = {new Parallel(1), new Parallel(2), new Parallel(3)};

    @AfterAll
    static void closePools() {
        for (Parallel pool : POOLS) pool.close();
    }

    @Test
    void floatProductsAreBitwiseEqualForAnyThreadCount() {
        // m, n, k, transA, transB, batch
        // 40 x 1100 x 800: its first 1024-column block is too deep for the resident B (panel-major loop order), its
        // last 76 columns take the resident-B order (GemmLoops.run): both orders in one product.
        int[][] shapes = {{300, 200, 900, 0, 0, 1}, {40, 1100, 800, 0, 0, 1}, {5, 2100, 500, 0, 1, 1}, {270, 70, 1040, 1, 0, 1},
                {64, 64, 96, 0, 1, 2}, {64, 64, 96, 1, 1, 7}};
        long seed = 1;
        for (int[] s : shapes) {
            int m = s[0], n = s[1], k = s[2], batch = s[5];
            boolean transA = s[3] == 1, transB = s[4] == 1;
            Random random = new Random(seed++);
            float[] a = random(random, batch * m * k), b = random(random, batch * k * n), c0 = random(random, batch * m * n);
            float[] first = null;
            for (Parallel pool : POOLS) {
                float[] c = c0.clone();
                new CpuGemm(pool).batchedGemm(batch, transA, transB, m, n, k, 0.75f, a, 0, m * k, transA ? m : k,
                        b, 0, k * n, transB ? k : n, 0.5f, c, 0, m * n, n);
                if (first == null) first = c;
                else assertArrayEquals(first, c, m + "x" + n + "x" + k + " batch " + batch + ": " + pool.threads() + " threads");
            }
        }
    }

    @Test
    void doubleProductsAreBitwiseEqualForAnyThreadCount() {
        int m = 150, n = 1100, k = 500;
        Random random = new Random(9);
        double[] a = new double[m * k], b = new double[k * n], c0 = new double[m * n];
        for (double[] x : new double[][]{a, b, c0}) for (int i = 0; i < x.length; i++) x[i] = random.nextGaussian();
        double[] first = null;
        for (Parallel pool : POOLS) { // F64 runs on the reference loops whatever the thread count
            double[] c = c0.clone();
            try (CpuBackend backend = new CpuBackend(pool.threads())) {
                ArrayKernels.gemm(backend, false, true, m, n, k, -1.25, a, 0, k, b, 0, k, 0.5, c, 0, n);
            }
            if (first == null) first = c;
            else assertArrayEquals(first, c, pool.threads() + " threads");
        }
    }

    private static float[] random(Random random, int length) {
        float[] values = new float[length];
        for (int i = 0; i < length; i++) values[i] = (float) random.nextGaussian();
        return values;
    }
}
