package dev.ranker4j.ir.metrics;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.Size;
import org.apache.commons.math3.stat.inference.TTest;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SignificanceTestsTest {

    private static double[] toArray(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    @Property(tries = 100)
    void tTestAgreesWithCommonsMath(@ForAll @Size(min = 3, max = 40) List<@DoubleRange(min = 0, max = 1) Double> a,
                                    @ForAll long seed) {
        double[] x = toArray(a);
        SplittableRandom random = new SplittableRandom(seed);
        double[] y = new double[x.length];
        for (int i = 0; i < y.length; i++) y[i] = random.nextDouble();
        SignificanceTests.Result result = SignificanceTests.pairedTTest(x, y);
        TTest reference = new TTest();
        assertEquals(reference.pairedT(x, y), result.statistic(), 1e-9 * Math.max(1, Math.abs(result.statistic())));
        assertEquals(reference.pairedTTest(x, y), result.pValue(), 1e-9);
    }

    @Test
    void degenerateDifferences() {
        double[] a = {0.25, 0.5, 0.75}; // exact binary fractions, so the differences below are exactly equal
        assertEquals(1.0, SignificanceTests.pairedTTest(a, a).pValue());
        assertEquals(0.0, SignificanceTests.pairedTTest(new double[] {0.5, 0.75, 1.0}, a).pValue());
        assertEquals(1.0, SignificanceTests.pairedRandomization(a, a, 1000, 7).pValue());
        assertThrows(IllegalArgumentException.class, () -> SignificanceTests.pairedTTest(a, new double[2]));
    }

    @Test
    void randomizationIsReproducibleFromItsSeedAndSeparatesClearDifferences() {
        SplittableRandom random = new SplittableRandom(1);
        double[] a = new double[50];
        double[] b = new double[50];
        for (int i = 0; i < a.length; i++) {
            a[i] = random.nextDouble();
            b[i] = a[i] + 0.01 * (random.nextDouble() - 0.5);
        }
        double[] better = new double[50];
        for (int i = 0; i < a.length; i++) better[i] = Math.min(1, a[i] + 0.2 + 0.05 * random.nextDouble());
        var first = SignificanceTests.pairedRandomization(a, b, 2000, 42);
        assertEquals(first, SignificanceTests.pairedRandomization(a, b, 2000, 42));
        assertTrue(first.pValue() > 0.05, () -> "noise-level difference judged significant: " + first);
        var clear = SignificanceTests.pairedRandomization(better, a, 2000, 42);
        assertEquals(1.0 / 2001, clear.pValue(), 1e-15);
    }

    @Property(tries = 30)
    void randomizationAndTTestRoughlyAgree(@ForAll @Size(min = 20, max = 40) List<@DoubleRange(min = 0, max = 1) Double> a,
                                           @ForAll long seed) {
        // For differences that are not tiny samples, both tests estimate the same tail probability.
        double[] x = toArray(a);
        SplittableRandom random = new SplittableRandom(seed);
        double[] y = new double[x.length];
        for (int i = 0; i < y.length; i++) y[i] = Math.min(1, Math.max(0, x[i] + 0.3 * (random.nextDouble() - 0.45)));
        double t = SignificanceTests.pairedTTest(x, y).pValue();
        double r = SignificanceTests.pairedRandomization(x, y, 2000, seed).pValue();
        assertTrue(r > 0 && r <= 1);
        assertEquals(t, r, 0.08, () -> "t-test p " + t + " vs randomization p " + r);
    }
}
