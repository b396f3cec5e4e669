package dev.ranker4j.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.ranker4j.kernels.cpu.CpuBackend;
import org.junit.jupiter.api.Test;

/**
 * {@link Backend#keepOnDevice}, {@link Backend#beforeHostAccess}, {@link Backend#afterHostWrite} and
 * {@link Backend#synchronizeHost} matter only to backends with device memory: a host backend must keep reading the
 * Java array itself, so a weight changed WITHOUT {@code afterHostWrite} still gives the new result, and an output is
 * in the Java array without {@code beforeHostAccess}. (The TornadoVM module tests the device side: arrays stay on
 * the device and cross only when the host reads them.)
 */
class ResidencyHintTest {

    @Test
    @Covers({"keepOnDevice(float)", "beforeHostAccess()", "afterHostWrite()", "synchronizeHost()"})
    void hostBackendsIgnoreTheHooksAndReadTheCurrentArray() {
        try (CpuBackend cpu = new CpuBackend(1)) {
            for (Backend backend : new Backend[]{cpu, new ReferenceBackend()}) {
                float[] weight = {1, 2, 3, 4};            // [2, 2]
                float[] x = {1, 1};                       // [1, 2]
                float[] y = new float[2];
                backend.keepOnDevice(weight);
                backend.gemm(false, false, 1, 2, 2, 1f, x, 0, 2, weight, 0, 2, 0f, y, 0, 2);
                assertArrayEquals(new float[]{4, 6}, y, backend.name());   // no beforeHostAccess needed

                weight[0] = 10;                           // changed in place, no afterHostWrite call
                backend.gemm(false, false, 1, 2, 2, 1f, x, 0, 2, weight, 0, 2, 0f, y, 0, 2);
                assertArrayEquals(new float[]{13, 6}, y, backend.name());

                backend.beforeHostAccess(weight);
                weight[1] = 20;
                backend.afterHostWrite(weight);
                backend.gemm(false, false, 1, 2, 2, 1f, x, 0, 2, weight, 0, 2, 0f, y, 0, 2);
                backend.synchronizeHost();
                assertArrayEquals(new float[]{13, 24}, y, backend.name());
            }
        }
    }
}
