package dev.ranker4j.kernels.tornadovm;

import dev.ranker4j.kernels.ArrayKernels;
import static dev.ranker4j.kernels.tornadovm.DeviceTestSupport.REFERENCE;
import static dev.ranker4j.kernels.tornadovm.DeviceTestSupport.assertClose;
import static dev.ranker4j.kernels.tornadovm.DeviceTestSupport.random;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Random;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Embedding gather and its deterministic scatter-add backward, repeated ids included. */
class EmbeddingKernelTest {

    @Property(tries = 10)
    void gatherAndScatterAdd(@ForAll @IntRange(min = 1, max = 50) int vocabulary,
                             @ForAll @IntRange(min = 1, max = 70) int dim, @ForAll @IntRange(min = 1, max = 90) int count,
                             @ForAll long seed) {
        TornadoBackend device = DeviceTestSupport.backend();
        Random random = new Random(seed);
        float[] table = random(random, vocabulary * dim);
        int[] ids = new int[count];
        for (int i = 0; i < count; i++) ids[i] = random.nextInt(Math.min(vocabulary, 1 + count / 3));  // repeats
        float[] expected = new float[2 + count * dim], actual = new float[2 + count * dim];
        ArrayKernels.gatherRows(REFERENCE, table, dim, ids, count, expected, 2);
        ArrayKernels.gatherRows(device, table, dim, ids, count, actual, 2);
        device.beforeHostAccess(actual);
        assertArrayEquals(expected, actual, "gather is a copy");

        float[] src = random(random, 1 + count * dim);
        float[] tableExpected = table.clone(), tableActual = table.clone();
        ArrayKernels.scatterAddRows(REFERENCE, src, 1, dim, ids, count, tableExpected);
        ArrayKernels.scatterAddRows(device, src, 1, dim, ids, count, tableActual);
        // Same summation order as the reference, but TornadoVM builds OpenCL with -cl-fast-relaxed-math, which lets
        // the device compiler contract and reassociate: equal to float rounding over up to `count` terms.
        assertClose("scatter-add vocabulary=" + vocabulary + " count=" + count, tableExpected, tableActual, 1e-5);
    }
}
