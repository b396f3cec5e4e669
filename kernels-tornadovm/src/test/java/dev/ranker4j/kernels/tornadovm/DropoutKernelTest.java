package dev.ranker4j.kernels.tornadovm;

import dev.ranker4j.kernels.ArrayKernels;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Random;

import dev.ranker4j.kernels.CounterRandom;
import dev.ranker4j.kernels.DeviceBackend.TransferCounts;
import dev.ranker4j.kernels.cpu.CpuBackend;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Dropout masks on the device against the CPU backend's, bit for bit: odd sizes, offsets into a larger array,
 * positions far beyond 2³² (the 64-bit parameters travel as int pairs) and p on an element's own unit().
 */
class DropoutKernelTest {
    private static final CpuBackend CPU = new CpuBackend(2);

    @Property(tries = 16)
    void deviceMaskEqualsTheCpuMaskBitForBit(@ForAll long seed) {
        TornadoBackend device = DeviceTestSupport.backend();
        Random random = new Random(seed);
        int n = 2 * random.nextInt(20_000) + 1; // odd: never a whole number of work groups
        int outOff = random.nextInt(7);
        long firstPosition = random.nextBoolean() ? random.nextLong() : random.nextInt(1 << 20);
        long generatorSeed = random.nextLong();
        double p = switch (random.nextInt(6)) {
            case 0 -> 0;
            case 1 -> 0.1;
            case 2 -> 0.5;
            case 3 -> 1;
            // exactly some element's unit: the boundary of unit >= p
            default -> CounterRandom.unit(CounterRandom.streamSeed(generatorSeed), firstPosition + random.nextInt(n), 0);
        };
        float[] expected = new float[outOff + n + 5];
        Arrays.fill(expected, -3f);
        float[] actual = expected.clone();
        ArrayKernels.dropoutMask(CPU, generatorSeed, firstPosition, p, expected, outOff, n);
        ArrayKernels.dropoutMask(device, generatorSeed, firstPosition, p, actual, outOff, n);
        device.beforeHostAccess(actual);
        assertArrayEquals(expected, actual, "n=" + n + " off=" + outOff + " first=" + firstPosition + " p=" + p);
    }

    @Example
    void aWholeArrayMaskIsWrittenOnTheDeviceWithoutAnUpload() {
        TornadoBackend device = DeviceTestSupport.backend();
        int n = 100_003;
        float[] mask = new float[n], expected = new float[n];
        TransferCounts before = device.transfers();
        ArrayKernels.dropoutMask(device, 7, 3L << 40, 0.1, mask, 0, n);
        TransferCounts during = device.transfers().minus(before);
        assertEquals(0, during.hostToDeviceDataBytes(), "only kernel arguments go to the device: " + during.jsonMembers());
        assertEquals(1, during.kernelLaunches());
        device.beforeHostAccess(mask);
        ArrayKernels.dropoutMask(CPU, 7, 3L << 40, 0.1, expected, 0, n);
        assertArrayEquals(expected, mask);
    }

    @Example
    void probabilitiesOutsideZeroToOneAreRefused() {
        TornadoBackend device = DeviceTestSupport.backend();
        assertThrows(IllegalArgumentException.class, () -> ArrayKernels.dropoutMask(device, 1, 0, 1.5, new float[4], 0, 4));
        assertThrows(IllegalArgumentException.class, () -> ArrayKernels.dropoutMask(device, 1, 0, -1, new float[0], 0, 0));
    }
}
