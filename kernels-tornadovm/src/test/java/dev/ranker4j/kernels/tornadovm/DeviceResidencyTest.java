package dev.ranker4j.kernels.tornadovm;

import dev.ranker4j.kernels.ArrayKernels;
import static dev.ranker4j.kernels.tornadovm.DeviceTestSupport.REFERENCE;
import static dev.ranker4j.kernels.tornadovm.DeviceTestSupport.assertClose;
import static dev.ranker4j.kernels.tornadovm.DeviceTestSupport.random;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ranker4j.kernels.DeviceBackend.TransferCounts;
import dev.ranker4j.kernels.UnaryOp;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * The device memory mechanism ({@link DeviceArrays}) through the backend's public methods: what crosses the bus
 * when, and that the host always sees current values through {@code beforeHostAccess}/{@code afterHostWrite}.
 */
class DeviceResidencyTest {
    /** Bytes of the parameter arrays every launch sends (shape, offsets, scalars), at most. */
    private static final long ARGUMENT_BYTES = 256;

    @Test
    void inputsUploadOnceAndOutputsStayOnTheDeviceUntilTheHostReadsThem() {
        TornadoBackend device = DeviceTestSupport.backend();
        Random random = new Random(7);
        int m = 9, n = 24, k = 31;
        float[] x = random(random, m * k), weight = random(random, k * n);
        float[] expected = new float[m * n], product = new float[m * n], activated = new float[m * n];
        ArrayKernels.gemm(REFERENCE, false, false, m, n, k, 1f, x, 0, k, weight, 0, n, 0f, expected, 0, n);
        ArrayKernels.unary(REFERENCE, UnaryOp.GELU_ERF, 0, expected, 0, expected, 0, m * n);

        TransferCounts start = device.transfers();
        ArrayKernels.gemm(device, false, false, m, n, k, 1f, x, 0, k, weight, 0, n, 0f, product, 0, n);
        TransferCounts first = device.transfers().minus(start);
        assertTrue(first.hostToDeviceBytes() >= (long) (m * k + k * n) * Float.BYTES, "x and W went up: " + first);
        assertEquals(0, first.deviceToHostCount(), "the product stays on the device");

        TransferCounts before = device.transfers();
        ArrayKernels.gemm(device, false, false, m, n, k, 1f, x, 0, k, weight, 0, n, 0f, product, 0, n);
        ArrayKernels.unary(device, UnaryOp.GELU_ERF, 0, product, 0, activated, 0, m * n);
        TransferCounts chained = device.transfers().minus(before);
        assertEquals(2, chained.kernelLaunches());
        assertTrue(chained.hostToDeviceBytes() <= 2 * ARGUMENT_BYTES, "only kernel arguments went up: " + chained);
        assertEquals(0, chained.deviceToHostCount(), "nothing came back: " + chained);

        before = device.transfers();
        device.beforeHostAccess(activated);
        TransferCounts read = device.transfers().minus(before);
        assertEquals(1, read.kernelLaunches(), "one download");
        assertTrue(read.deviceToHostBytes() >= (long) m * n * Float.BYTES, "the result came back: " + read);
        assertClose("gelu(x·W) read on the host", expected, activated, 1e-4);

        before = device.transfers();
        device.beforeHostAccess(activated);                  // already current on the host
        assertEquals(0, device.transfers().minus(before).deviceToHostCount());
    }

    @Test
    void aHostWriteReachesTheNextKernel() {
        TornadoBackend device = DeviceTestSupport.backend();
        Random random = new Random(11);
        int m = 5, n = 7, k = 6;
        float[] x = random(random, m * k), weight = random(random, k * n);
        float[] expected = new float[m * n], actual = new float[m * n];
        ArrayKernels.gemm(device, false, false, m, n, k, 1f, x, 0, k, weight, 0, n, 0f, actual, 0, n);

        device.beforeHostAccess(weight);
        weight[3] += 1f;                                     // an optimizer step, say
        device.afterHostWrite(weight);
        TransferCounts before = device.transfers();
        ArrayKernels.gemm(device, false, false, m, n, k, 1f, x, 0, k, weight, 0, n, 0f, actual, 0, n);
        TransferCounts after = device.transfers().minus(before);
        assertTrue(after.hostToDeviceBytes() >= (long) k * n * Float.BYTES, "the weight went up again: " + after);
        ArrayKernels.gemm(REFERENCE, false, false, m, n, k, 1f, x, 0, k, weight, 0, n, 0f, expected, 0, n);
        assertClose("after afterHostWrite", expected, actual, 1e-4);
    }

    /**
     * Far more arrays than the device memory holds: ranges of collected host arrays are freed, and when that is
     * not enough the least recently used arrays move back to the host, so a long run does not run out.
     */
    @Test
    void aLongRunRecyclesDeviceMemory() {
        TornadoRuntimeProbe.Result probe = TornadoRuntimeProbe.probe();
        DeviceTestSupport.backend();                         // skips without a device
        int n = 1 << 20;                                     // 4 MB per array, 16 MB of device memory
        try (TornadoBackend small = new TornadoBackend(probe.device(), REFERENCE, 16)) {
            float[] kept = null, keptInput = null;
            for (int i = 0; i < 24; i++) {
                float[] in = new float[n], out = new float[n];
                in[i] = i + 1;
                ArrayKernels.unary(small, UnaryOp.MUL_SCALAR, 2, in, 0, out, 0, n);
                if (i == 3) {                                 // one result stays referenced, but unread, throughout
                    kept = out;
                    keptInput = in;
                }
            }
            small.beforeHostAccess(kept);
            assertEquals(8f, kept[3], "a result moved out to make room is still there");
            assertEquals(0f, kept[4]);
            assertEquals(4f, keptInput[3]);
            assertTrue(small.memoryUse().contains("arrays"), small.memoryUse());
        }
    }
}
