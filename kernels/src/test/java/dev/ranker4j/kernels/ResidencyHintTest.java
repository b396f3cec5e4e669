package dev.ranker4j.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.ranker4j.kernels.cpu.CpuBackend;
import org.junit.jupiter.api.Test;

/**
 * {@link Backend#keepOnDevice} and {@link Backend#hostChanged} are hints for backends with device memory: a host
 * backend must keep reading the Java array itself, so a weight changed WITHOUT {@code hostChanged} still gives the
 * new result. (The TornadoVM module tests the device side: a resident weight is uploaded once.)
 */
class ResidencyHintTest {

    @Test
    @Covers({"keepOnDevice(float)", "hostChanged(float)"})
    void hostBackendsIgnoreTheHintAndReadTheCurrentArray() {
        try (CpuBackend cpu = new CpuBackend(1)) {
            for (Backend backend : new Backend[]{cpu, new ReferenceBackend()}) {
                float[] weight = {1, 2, 3, 4};            // [2, 2]
                float[] x = {1, 1};                       // [1, 2]
                float[] y = new float[2];
                backend.keepOnDevice(weight);
                backend.gemm(false, false, 1, 2, 2, 1f, x, 0, 2, weight, 0, 2, 0f, y, 0, 2);
                assertArrayEquals(new float[]{4, 6}, y, backend.name());

                weight[0] = 10;                           // changed in place, no hostChanged call
                backend.gemm(false, false, 1, 2, 2, 1f, x, 0, 2, weight, 0, 2, 0f, y, 0, 2);
                assertArrayEquals(new float[]{13, 6}, y, backend.name());

                backend.hostChanged(weight);
                weight[1] = 20;
                backend.gemm(false, false, 1, 2, 2, 1f, x, 0, 2, weight, 0, 2, 0f, y, 0, 2);
                assertArrayEquals(new float[]{13, 24}, y, backend.name());
            }
        }
    }
}
