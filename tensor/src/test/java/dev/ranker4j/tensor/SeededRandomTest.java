package dev.ranker4j.tensor;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SeededRandomTest {

    @Test
    void theSameSeedGivesTheSameTensorsAndADifferentSeedDoesNot() {
        float[] first = new SeededRandom(42).normal(DType.F32, 0, 1, 100).toFloatArray();
        assertArrayEquals(first, new SeededRandom(42).normal(DType.F32, 0, 1, 100).toFloatArray());
        assertFalse(java.util.Arrays.equals(first, new SeededRandom(43).normal(DType.F32, 0, 1, 100).toFloatArray()));
    }

    @Test
    void restoringTheStateContinuesBitIdentically() {
        SeededRandom random = new SeededRandom(7);
        random.uniform(DType.F64, 0, 1, 13);
        SeededRandom.State saved = random.state();
        assertEquals(new SeededRandom.State(7, 13), saved);
        double[] mask = random.dropoutMask(DType.F64, 0.1, 50).toDoubleArray();
        double[] init = random.truncatedNormal(DType.F64, 0, 0.02, -0.04, 0.04, 30).toDoubleArray();
        long next = random.nextLong();
        SeededRandom resumed = new SeededRandom(saved);
        assertArrayEquals(mask, resumed.dropoutMask(DType.F64, 0.1, 50).toDoubleArray());
        assertArrayEquals(init, resumed.truncatedNormal(DType.F64, 0, 0.02, -0.04, 0.04, 30).toDoubleArray());
        assertEquals(next, resumed.nextLong());
    }

    @Test
    void aTensorOfNValuesConsumesExactlyNPositionsWhateverItsDistribution() {
        SeededRandom a = new SeededRandom(1), b = new SeededRandom(1);
        a.normal(DType.F32, 0, 1, 4, 5);
        b.truncatedNormal(DType.F32, 0, 1, -0.5, 0.5, 20); // rejection uses more draws, but per position
        assertEquals(a.state(), b.state());
        assertEquals(a.nextDouble(), b.nextDouble());
    }

    @Test
    void distributionsHaveTheirMomentsAndBounds() {
        SeededRandom random = new SeededRandom(2024);
        int n = 20000;
        Tensor normal = random.normal(DType.F64, 1.5, 2, n);
        assertEquals(1.5, normal.mean().item(), 0.05);
        assertEquals(4, normal.var(new int[]{0}, 1, false).item(), 0.15);
        Tensor uniform = random.uniform(DType.F64, -1, 3, n);
        assertTrue(uniform.min().item() >= -1 && uniform.max().item() < 3);
        assertEquals(1, uniform.mean().item(), 0.03);
        Tensor truncated = random.truncatedNormal(DType.F64, 0, 1, -1, 2, n);
        assertTrue(truncated.min().item() >= -1 && truncated.max().item() <= 2);
        // Mean of N(0,1) truncated to [a, b]: (φ(a) − φ(b)) / (Φ(b) − Φ(a)) = 0.2289 for [-1, 2].
        assertEquals(0.2289, truncated.mean().item(), 0.02);
        for (int i = 0; i < 1000; i++) {
            int k = random.nextInt(7);
            assertTrue(k >= 0 && k < 7);
        }
    }

    @Test
    void dropoutMasksScaleKeptElementsByOneOverKeepProbability() {
        Tensor mask = new SeededRandom(5).dropoutMask(DType.F32, 0.25, 100, 100);
        double keptValue = 1 / 0.75;
        int dropped = 0;
        for (float v : mask.toFloatArray()) {
            if (v == 0) dropped++;
            else assertEquals((float) keptValue, v);
        }
        assertEquals(2500, dropped, 150);
        assertEquals(1, mask.mean().item(), 0.03);
        assertEquals(0, new SeededRandom(5).dropoutMask(DType.F32, 1, 10).sum().item());
        assertEquals(10, new SeededRandom(5).dropoutMask(DType.F32, 0, 10).sum().item());
        assertThrows(IllegalArgumentException.class, () -> new SeededRandom(5).dropoutMask(DType.F32, 1.5, 10));
    }

    /**
     * The masks are those of the scalar loop SeededRandom had before dropout moved into the backends, frozen below
     * with its own copy of SplitMix64: checkpoints and reference runs taken before the change resume identically.
     * 70,001 elements span several work blocks of the CPU backend (and an odd tail), and the generator starts at a
     * nonzero counter.
     */
    @Test
    void dropoutMasksAreBitIdenticalToTheFrozenScalarLoop() {
        int n = 70_001;
        for (DType dtype : new DType[] {DType.F32, DType.F64, DType.BF16}) {
            for (double p : new double[] {0, 0.1, 0.5, 1}) {
                SeededRandom random = new SeededRandom(new SeededRandom.State(20240917L, 1234));
                Tensor mask = random.dropoutMask(dtype, p, 7, n / 7 + 1);
                Tensor frozen = frozenScalarMask(20240917L, 1234, dtype, p, 7, n / 7 + 1);
                assertArrayEquals(frozen.toDoubleArray(), mask.toDoubleArray(), dtype + " p=" + p);
                assertEquals(new SeededRandom.State(20240917L, 1234 + mask.numel()), random.state(), "advances by N");
            }
        }
    }

    /** SeededRandom.dropoutMask as it was, verbatim but for the generator state passed in. */
    private static Tensor frozenScalarMask(long seed, long counter, DType dtype, double p, int... shape) {
        final long gamma = 0x9E3779B97F4A7C15L;
        long mixedSeed = frozenMix64(seed);
        Tensor out = Tensor.zeros(dtype, shape);
        double keptValue = p == 1 ? 0 : 1 / (1 - p);
        for (int i = 0; i < out.numel(); i++) {
            long position = counter + i;
            long word = frozenMix64(frozenMix64(mixedSeed + position * gamma) + gamma);
            double unit = (word >>> 11) * 0x1.0p-53;
            out.storage.setFromDouble(i, unit >= p ? keptValue : 0);
        }
        return out;
    }

    private static long frozenMix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    @Test
    void aTooNarrowTruncationWindowIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> new SeededRandom(1).truncatedNormal(DType.F32, 0, 0.02, 1, 2, 10));
    }
}
