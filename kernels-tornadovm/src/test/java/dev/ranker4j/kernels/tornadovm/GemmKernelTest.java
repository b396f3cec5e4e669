package dev.ranker4j.kernels.tornadovm;

import dev.ranker4j.kernels.ArrayKernels;
import static dev.ranker4j.kernels.tornadovm.DeviceTestSupport.REFERENCE;
import static dev.ranker4j.kernels.tornadovm.DeviceTestSupport.assertClose;
import static dev.ranker4j.kernels.tornadovm.DeviceTestSupport.random;

import java.util.Random;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** The tiled GEMM kernel on the device against {@link dev.ranker4j.kernels.ReferenceBackend#gemm}. */
class GemmKernelTest {

    @Property(tries = 12)
    void gemmMatchesReference(@ForAll @IntRange(min = 1, max = 70) int m, @ForAll @IntRange(min = 1, max = 70) int n,
                              @ForAll @IntRange(min = 1, max = 70) int k, @ForAll boolean transA,
                              @ForAll boolean transB, @ForAll @IntRange(min = 0, max = 2) int betaCase,
                              @ForAll long seed) {
        TornadoBackend device = DeviceTestSupport.backend();
        Random random = new Random(seed);
        int lda = (transA ? m : k) + 3, ldb = (transB ? k : n) + 1, ldc = n + 2;   // padded leading dimensions
        float[] a = random(random, 5 + (transA ? k : m) * lda);
        float[] b = random(random, 2 + (transB ? n : k) * ldb);
        float[] c = random(random, 4 + m * ldc);
        float beta = betaCase == 0 ? 0f : betaCase == 1 ? 1f : -0.5f;
        float[] expected = c.clone(), actual = c.clone();
        ArrayKernels.gemm(REFERENCE, transA, transB, m, n, k, 0.75f, a, 5, lda, b, 2, ldb, beta, expected, 4, ldc);
        ArrayKernels.gemm(device, transA, transB, m, n, k, 0.75f, a, 5, lda, b, 2, ldb, beta, actual, 4, ldc);
        assertClose("gemm " + m + "x" + n + "x" + k, expected, actual, 1e-4);
    }

    @Property(tries = 8)
    void batchedGemmMatchesReference(@ForAll @IntRange(min = 1, max = 5) int batch,
                                     @ForAll @IntRange(min = 1, max = 33) int m, @ForAll @IntRange(min = 1, max = 33) int n,
                                     @ForAll @IntRange(min = 1, max = 40) int k, @ForAll boolean transA,
                                     @ForAll boolean transB, @ForAll boolean broadcastB, @ForAll long seed) {
        TornadoBackend device = DeviceTestSupport.backend();
        Random random = new Random(seed);
        int lda = transA ? m : k, ldb = transB ? k : n;
        int strideA = m * k, strideB = broadcastB ? 0 : k * n, strideC = m * n + 1;
        float[] a = random(random, batch * strideA);
        float[] b = random(random, Math.max(1, batch * strideB) + k * n);
        float[] c = random(random, batch * strideC);
        float[] expected = c.clone(), actual = c.clone();
        ArrayKernels.batchedGemm(REFERENCE, batch, transA, transB, m, n, k, 1f, a, 0, strideA, lda, b, 0, strideB, ldb,
                0f, expected, 0, strideC, n);
        ArrayKernels.batchedGemm(device, batch, transA, transB, m, n, k, 1f, a, 0, strideA, lda, b, 0, strideB, ldb,
                0f, actual, 0, strideC, n);
        assertClose("batched gemm " + batch + "x" + m + "x" + n + "x" + k, expected, actual, 1e-4);
    }
}
