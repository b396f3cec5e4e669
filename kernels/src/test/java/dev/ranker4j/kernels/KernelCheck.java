package dev.ranker4j.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.ranker4j.kernels.cpu.CpuBackend;
import java.util.List;
import java.util.function.Function;

/**
 * Runs one kernel call on the reference and on CpuBackend with 1, 2 and 3 threads, and checks that every CPU
 * result is close to the reference's and bitwise equal across thread counts (splits must never change results).
 * The CPU backends use a grain of 64 elements so that even the small inputs of a property take the multithreaded
 * paths.
 */
final class KernelCheck {
    private KernelCheck() {}

    static final Backend REFERENCE = new ReferenceBackend();
    static final int TEST_GRAIN = 64;
    static final List<CpuBackend> CPU = List.of(
            new CpuBackend(1, TEST_GRAIN), new CpuBackend(2, TEST_GRAIN), new CpuBackend(3, TEST_GRAIN));

    /** |actual − expected| ≤ atol + rtol·|expected|; NaN matches only NaN, an infinity only itself. */
    record Tolerance(double rtol, double atol) {
        static Tolerance exact() {
            return new Tolerance(0, 0);
        }
    }

    /**
     * {@code call} runs the kernel on the given backend with freshly made outputs and returns every output,
     * widened to double. It must not modify shared inputs (copy arrays the kernel accumulates into).
     */
    static void check(String what, Function<Backend, double[][]> call, Tolerance... tolerancePerOutput) {
        check(what, true, call, tolerancePerOutput);
    }

    static void check(String what, boolean bitwiseAcrossThreads, Function<Backend, double[][]> call,
                      Tolerance... tolerancePerOutput) {
        double[][] expected = call.apply(REFERENCE);
        double[][] first = null;
        for (CpuBackend cpu : CPU) {
            double[][] actual = call.apply(cpu);
            for (int o = 0; o < expected.length; o++) {
                Tolerance tolerance = tolerancePerOutput[Math.min(o, tolerancePerOutput.length - 1)];
                assertClose(what + " output " + o + " with " + cpu.threads() + " threads", expected[o], actual[o],
                        tolerance);
            }
            if (first == null) {
                first = actual;
            } else if (bitwiseAcrossThreads) {
                for (int o = 0; o < first.length; o++) {
                    assertArrayEquals(first[o], actual[o], what + " output " + o + ": " + cpu.threads()
                            + " threads differ from 1 thread");
                }
            }
        }
    }

    static void assertClose(String what, double[] expected, double[] actual, Tolerance tolerance) {
        if (expected.length != actual.length) fail(what + ": length " + actual.length + " != " + expected.length);
        int worst = -1;
        double worstExcess = 0;
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i], a = actual[i];
            if (Double.isNaN(e) || Double.isNaN(a) || Double.isInfinite(e) || Double.isInfinite(a)) {
                if (Double.compare(e, a) != 0 && !(e == a)) {
                    fail(what + ": at " + i + " expected " + e + " but was " + a);
                }
                continue;
            }
            double excess = Math.abs(a - e) - (tolerance.atol() + tolerance.rtol() * Math.abs(e));
            if (excess > worstExcess) {
                worstExcess = excess;
                worst = i;
            }
        }
        if (worst >= 0) {
            fail(what + ": worst at " + worst + " expected " + expected[worst] + " but was " + actual[worst]
                    + " (|diff| " + Math.abs(actual[worst] - expected[worst]) + ", " + tolerance + ")");
        }
    }

    // ---------------------------------------------------------------------------------------- array helpers

    static float[] f32(double[] values) {
        if (values == null) return null;
        float[] narrow = new float[values.length];
        for (int i = 0; i < values.length; i++) narrow[i] = (float) values[i];
        return narrow;
    }

    static double[] f64(float[] values) {
        if (values == null) return null;
        double[] wide = new double[values.length];
        for (int i = 0; i < values.length; i++) wide[i] = values[i];
        return wide;
    }

    static double[] f64(int[] values) {
        double[] wide = new double[values.length];
        for (int i = 0; i < values.length; i++) wide[i] = values[i];
        return wide;
    }

    /** Rounds every value to float, so F32 and F64 runs of a property see the same numbers. */
    static double[] roundedToFloat(double[] values) {
        return f64(f32(values));
    }

    static double[] copy(double[] values) {
        return values == null ? null : values.clone();
    }
}
