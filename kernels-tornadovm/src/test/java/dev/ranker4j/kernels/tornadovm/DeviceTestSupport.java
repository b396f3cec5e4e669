package dev.ranker4j.kernels.tornadovm;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Random;
import java.util.function.Supplier;

import dev.ranker4j.kernels.Backend;
import dev.ranker4j.kernels.Backends;
import dev.ranker4j.kernels.ReferenceBackend;

/**
 * What every device test shares: one {@link TornadoBackend} for the JVM (plans compile once per kernel), the
 * reference it is compared with, random data, and a comparison that names the worst element.
 */
final class DeviceTestSupport {
    private DeviceTestSupport() {}

    static final ReferenceBackend REFERENCE = new ReferenceBackend();
    private static TornadoBackend backend;

    /** The device backend, or the test is skipped with the probe's one-line reason. */
    static synchronized TornadoBackend backend() {
        TornadoRuntimeProbe.Result probe = TornadoRuntimeProbe.probe();
        assumeTrue(probe.available(), probe.problem());
        if (backend == null) {
            backend = new TornadoBackend(probe.device(), REFERENCE);
            System.out.println("TornadoVM device: " + probe.device());
        }
        return backend;
    }

    /** Runs {@code work} with {@code backend} as {@link Backends#current()} (what every tensor op uses), then restores it. */
    static <T> T on(Backend backend, Supplier<T> work) {
        Backend before = Backends.current();
        Backends.setCurrent(backend);
        try {
            return work.get();
        } finally {
            Backends.setCurrent(before);
        }
    }

    static float[] random(Random random, int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) values[i] = (float) (random.nextGaussian());
        return values;
    }

    /**
     * |actual − expected| ≤ tolerance · max(1, |expected|) everywhere, else a message with the worst element.
     * {@code actual} is fetched from the device first (kernel outputs stay there until the host asks).
     */
    static void assertClose(String what, float[] expected, float[] actual, double tolerance) {
        synchronized (DeviceTestSupport.class) {
            if (backend != null) backend.beforeHostAccess(actual);
        }
        int worst = -1;
        double worstError = 0;
        for (int i = 0; i < expected.length; i++) {
            double error = Math.abs((double) actual[i] - expected[i]) / Math.max(1.0, Math.abs(expected[i]));
            boolean bothNaN = Float.isNaN(expected[i]) && Float.isNaN(actual[i]);
            if (!bothNaN && !(error <= worstError)) {
                worstError = Double.isNaN(error) ? Double.POSITIVE_INFINITY : error;
                worst = i;
            }
        }
        int at = worst;
        double largest = worstError;
        assertTrue(largest <= tolerance, () -> what + ": worst relative error " + largest + " at [" + at
                + "]: expected " + expected[at] + ", got " + actual[at]);
    }
}
