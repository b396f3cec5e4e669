package dev.ranker4j.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.ranker4j.kernels.cpu.CpuBackend;

import org.junit.jupiter.api.Test;

/**
 * The residency hooks ({@link DeviceBackend#keepOnDevice}, {@link DeviceBackend#beforeHostAccess},
 * {@link DeviceBackend#afterHostWrite}, {@link DeviceBackend#synchronizeHost}) belong to backends with device memory
 * only: the host backends are not {@link DeviceBackend}s, so callers skip the hooks for them, and they must keep
 * reading the Java array itself: a weight changed in place still gives the new result, and an output is in the Java
 * array at once. (The TornadoVM module tests the device side: arrays stay on the device and cross only when the
 * host reads them.)
 */
class ResidencyHintTest {

    @Test
    void hostBackendsHaveNoHooksAndReadTheCurrentArray() {
        try (CpuBackend cpu = new CpuBackend(1)) {
            for (Backend backend : new Backend[]{cpu, new ReferenceBackend()}) {
                float[] weight = {1, 2, 3, 4};            // [2, 2]
                float[] x = {1, 1};                       // [1, 2]
                float[] y = new float[2];
                assertFalse(backend instanceof DeviceBackend, backend.name() + " must not be a DeviceBackend");
                ArrayKernels.gemm(backend, false, false, 1, 2, 2, 1f, x, 0, 2, weight, 0, 2, 0f, y, 0, 2);
                assertArrayEquals(new float[]{4, 6}, y, backend.name());   // no beforeHostAccess needed

                weight[0] = 10;                           // changed in place, no afterHostWrite call
                ArrayKernels.gemm(backend, false, false, 1, 2, 2, 1f, x, 0, 2, weight, 0, 2, 0f, y, 0, 2);
                assertArrayEquals(new float[]{13, 6}, y, backend.name());

                weight[1] = 20;
                ArrayKernels.gemm(backend, false, false, 1, 2, 2, 1f, x, 0, 2, weight, 0, 2, 0f, y, 0, 2);
                assertArrayEquals(new float[]{13, 24}, y, backend.name());
            }
        }
    }
}
