package dev.ranker4j.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ranker4j.kernels.cpu.CpuBackend;

import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

/**
 * {@link Backend#dropoutMask}: CpuBackend (vector lanes, 1–3 threads, a tiny grain) against the reference's scalar
 * loop bit for bit, and {@link CounterRandom} against the textbook SplitMix64 generator it is built from.
 */
class DropoutProperties {

    /** The probabilities a model uses, the two extremes, and values that sit exactly on some element's unit(). */
    private static double probability(Random random, long mixedSeed, long firstPosition, int n) {
        int kind = random.nextInt(7);
        if (kind < 4) return new double[] {0, 0.1, 0.5, 1}[kind];
        if (n == 0) return random.nextDouble();
        // p equal to an element's own unit (kept: unit >= p), or one ulp either side of it.
        double unit = CounterRandom.unit(mixedSeed, firstPosition + random.nextInt(n), 0);
        return switch (kind) {
            case 4 -> unit;
            case 5 -> Math.min(1, Math.nextUp(unit));
            default -> Math.max(0, Math.nextDown(unit));
        };
    }

    @Property(tries = 120)
    @Covers({"dropoutMask"})
    void cpuMaskEqualsTheReferenceBitForBit(@ForAll boolean f64, @ForAll long seed) {
        Random random = new Random(seed);
        int n = random.nextInt(4) == 0 ? random.nextInt(700) : random.nextInt(40);
        int outOff = random.nextInt(5);
        long firstPosition = random.nextInt(3) == 0 ? random.nextLong() : random.nextInt(1000);
        long generatorSeed = random.nextLong();
        double p = probability(random, CounterRandom.streamSeed(generatorSeed), firstPosition, n);
        String what = "dropoutMask n=" + n + " off=" + outOff + " first=" + firstPosition + " p=" + p;
        if (f64) {
            double[] expected = new double[outOff + n + 3];
            Arrays.fill(expected, -7); // untouched outside [outOff, outOff + n)
            double[] reference = expected.clone();
            ArrayKernels.dropoutMask(KernelCheck.REFERENCE, generatorSeed, firstPosition, p, reference, outOff, n);
            for (CpuBackend cpu : KernelCheck.CPU) {
                double[] actual = expected.clone();
                ArrayKernels.dropoutMask(cpu, generatorSeed, firstPosition, p, actual, outOff, n);
                assertArrayEquals(reference, actual, what + " F64, " + cpu.threads() + " threads");
            }
            assertMaskValues(KernelCheck.f32(reference), outOff, n, p);
        } else {
            float[] expected = new float[outOff + n + 3];
            Arrays.fill(expected, -7);
            float[] reference = expected.clone();
            ArrayKernels.dropoutMask(KernelCheck.REFERENCE, generatorSeed, firstPosition, p, reference, outOff, n);
            for (CpuBackend cpu : KernelCheck.CPU) {
                float[] actual = expected.clone();
                ArrayKernels.dropoutMask(cpu, generatorSeed, firstPosition, p, actual, outOff, n);
                assertArrayEquals(reference, actual, what + " F32, " + cpu.threads() + " threads");
            }
            assertMaskValues(reference, outOff, n, p);
        }
    }

    /** Only 0 and (float) 1/(1 − p) inside the range, the fill value outside it. */
    private static void assertMaskValues(float[] mask, int outOff, int n, double p) {
        float kept = p == 1 ? 0 : (float) (1 / (1 - p));
        for (int i = 0; i < mask.length; i++) {
            boolean inside = i >= outOff && i < outOff + n;
            if (!inside) assertEquals(-7f, mask[i], "written outside the range at " + i);
            else if (mask[i] != 0f) assertEquals(kept, mask[i], "element " + i);
        }
    }

    @Example
    void aMaskIsTheConcatenationOfItsParts() {
        // Counter semantics: positions [q, q + a) then [q + a, q + a + b) give the mask of [q, q + a + b).
        Backend cpu = KernelCheck.CPU.get(1);
        float[] whole = new float[1000], parts = new float[1000];
        ArrayKernels.dropoutMask(cpu, 99, 12345, 0.3, whole, 0, 1000);
        ArrayKernels.dropoutMask(cpu, 99, 12345, 0.3, parts, 0, 337);
        ArrayKernels.dropoutMask(cpu, 99, 12345 + 337, 0.3, parts, 337, 663);
        assertArrayEquals(whole, parts);
    }

    @Example
    void probabilitiesOutsideZeroToOneAreRefused() {
        for (Backend backend : new Backend[] {KernelCheck.REFERENCE, KernelCheck.CPU.get(0)}) {
            assertThrows(IllegalArgumentException.class, () -> ArrayKernels.dropoutMask(backend, 1, 0, 1.5, new float[4], 0, 4));
            assertThrows(IllegalArgumentException.class, () -> ArrayKernels.dropoutMask(backend, 1, 0, -0.1, new double[4], 0, 4));
            assertThrows(IllegalArgumentException.class, () -> ArrayKernels.dropoutMask(backend, 1, 0, Double.NaN, new float[4], 0, 4));
        }
    }

    // ------------------------------------------------------------------------------------------- CounterRandom

    /** The textbook generator: state += γ, output mix64(state) (Steele et al. 2014, Vigna's splitmix64.c). */
    private static final class SplitMix64 {
        private long state;

        SplitMix64(long seed) {
            state = seed;
        }

        long next() {
            state += CounterRandom.GAMMA;
            return CounterRandom.mix64(state);
        }
    }

    @Example
    void mix64IsSplitMix64() {
        // The first outputs of splitmix64.c seeded with 0, as published with the reference implementation.
        SplitMix64 generator = new SplitMix64(0);
        assertEquals(0xE220A8397B1DCDAFL, generator.next());
        assertEquals(0x6E789E6AA1B965F4L, generator.next());
        assertEquals(0x06C45D188009454FL, generator.next());
    }

    @Property(tries = 200)
    void wordsAreTheOutputsOfAPerPositionSplitMix64Stream(@ForAll long seed, @ForAll long position) {
        long mixedSeed = CounterRandom.streamSeed(seed);
        SplitMix64 stream = new SplitMix64(CounterRandom.mix64(mixedSeed + position * CounterRandom.GAMMA));
        for (int draw = 0; draw < 3; draw++) assertEquals(stream.next(), CounterRandom.word(mixedSeed, position, draw));
    }

    @Property(tries = 300)
    void shiftRightUnsignedIsJavasUnsignedShift(@ForAll long z, @ForAll @IntRange(min = 1, max = 63) int s) {
        assertEquals(z >>> s, CounterRandom.shiftRightUnsigned(z, s));
    }

    @Property(tries = 500)
    void theIntegerKeepTestIsTheDoubleOne(@ForAll @DoubleRange(min = 0, max = 1) double p, @ForAll long word,
                                          @ForAll boolean onTheBoundary) {
        long topBits = word >>> 11;
        if (onTheBoundary) p = topBits * CounterRandom.UNIT_SCALE; // unit == p exactly: kept
        assertEquals(topBits * CounterRandom.UNIT_SCALE >= p, topBits >= CounterRandom.keepThreshold(p),
                "p=" + p + " topBits=" + topBits);
    }
}
