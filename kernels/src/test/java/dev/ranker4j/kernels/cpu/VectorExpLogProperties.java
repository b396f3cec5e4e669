package dev.ranker4j.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;
import jdk.incubator.vector.FloatVector;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import org.junit.jupiter.api.Test;

/**
 * {@link VectorExpLog} against {@code Math}: within 2 ulp of Math.exp/log/tanh (themselves within 1 ulp of the
 * exact value) on random arguments over each function's whole useful range, and exactly right on the special values.
 * A float result is compared with Math's double result rounded to float. (Float only: F64 runs on the reference
 * kernels, which call Math directly.)
 */
class VectorExpLogProperties {

    private static final double MAX_ULPS = 2;

    @Property(tries = 300)
    void expIsWithinTwoUlp(@ForAll @DoubleRange(min = -750, max = 750) double x) {
        checkFloat("exp", VectorExpLog::exp, Math::exp, (float) (x / 7.5)); // float range ±100 // near 0, where k = 0
    }

    @Property(tries = 300)
    void tanhIsWithinTwoUlp(@ForAll @DoubleRange(min = -25, max = 25) double x) {
        checkFloat("tanh", VectorExpLog::tanh, Math::tanh, (float) x);
    }

    @Property(tries = 300)
    void logIsWithinTwoUlp(@ForAll @DoubleRange(min = -320, max = 300) double log10) {
        double x = Math.pow(10, log10); // magnitudes from subnormal to huge
        checkFloat("log", VectorExpLog::log, Math::log, (float) Math.pow(10, log10 / 8)); // float 1e-40 … 1e37 // near 1, where log → 0
    }

    @Test
    void specialValuesAreExact() {
        double[] specials = {0.0, -0.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN, 1.0, -1.0,
                Double.MIN_VALUE, Double.MIN_NORMAL, Double.MAX_VALUE, 1000, -1000, 88.7, 89, -103.9, -104, 709.7, 710,
                -745, -746, Float.MIN_VALUE, Float.MIN_NORMAL, Float.MAX_VALUE};
        for (double x : specials) {
            checkFloat("exp", VectorExpLog::exp, Math::exp, (float) x);
            checkFloat("tanh", VectorExpLog::tanh, Math::tanh, (float) x);
            checkFloat("log", VectorExpLog::log, Math::log, (float) x);
        }
    }

    /** Every lane gets x (so a lane-dependent bug shows too); non-finite or zero results must match exactly. */
    private static void checkFloat(String name, UnaryOperator<FloatVector> f, DoubleUnaryOperator math, float x) {
        float[] lanes = f.apply(FloatVector.broadcast(VectorMath.F, x)).toArray();
        float expected = (float) math.applyAsDouble(x);
        for (float actual : lanes) {
            if (!Float.isFinite(expected) || expected == 0 || !Float.isFinite(actual)) {
                assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(actual), name + "(" + x + ") float");
            } else if (Math.abs(actual - expected) > MAX_ULPS * Math.ulp(expected)) {
                fail(name + "(" + x + ") float = " + actual + ", Math: " + expected + " ("
                        + Math.abs(actual - expected) / Math.ulp(expected) + " ulp)");
            }
        }
    }
}
