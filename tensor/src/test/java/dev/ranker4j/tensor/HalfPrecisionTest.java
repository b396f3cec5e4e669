package dev.ranker4j.tensor;

import net.jqwik.api.ForAll;
import net.jqwik.api.GenerationMode;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.FloatRange;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HalfPrecisionTest {

    @Property(tries = 2000)
    void bf16RoundsToTheNearestNeighbourWithTiesToEven(@ForAll int floatBits) {
        float value = Float.intBitsToFloat(floatBits);
        if (Float.isNaN(value)) return;
        short rounded = HalfPrecision.floatToBf16(value);
        if (Float.isInfinite(HalfPrecision.bf16ToFloat(rounded)) && !Float.isInfinite(value)) {
            // Overflow is right only from halfway between the largest BF16 (0x7F7F) and 2^128 upwards.
            assertTrue((floatBits & 0x7FFFFFFF) >= 0x7F7F8000, value + " must not overflow to infinity");
            return;
        }
        checkNearestEven(value, rounded, HalfPrecision.bf16ToFloat(rounded),
                HalfPrecision.bf16ToFloat((short) (rounded - 1)), HalfPrecision.bf16ToFloat((short) (rounded + 1)));
    }

    @Property(tries = 2000)
    void f16RoundsToTheNearestNeighbourWithTiesToEven(@ForAll int floatBits) {
        float value = Float.intBitsToFloat(floatBits);
        if (Float.isNaN(value) || Math.abs(value) > 65504) return; // beyond F16's range: infinity, checked below
        short rounded = HalfPrecision.floatToF16(value);
        checkNearestEven(value, rounded, HalfPrecision.f16ToFloat(rounded),
                HalfPrecision.f16ToFloat((short) (rounded - 1)), HalfPrecision.f16ToFloat((short) (rounded + 1)));
    }

    /** The chosen value is at least as near as both bit-pattern neighbours, and on a tie its last bit is 0. */
    private static void checkNearestEven(float value, short bits, float chosen, float below, float above) {
        double error = Math.abs((double) value - chosen);
        for (float neighbour : new float[]{below, above}) {
            if (Float.isNaN(neighbour) || Float.isInfinite(neighbour) || Math.signum(neighbour) * Math.signum(chosen) < 0) continue;
            double other = Math.abs((double) value - neighbour);
            assertTrue(error <= other, value + " rounded to " + chosen + " but " + neighbour + " is nearer");
            if (error == other && error != 0) assertEquals(0, bits & 1, "tie for " + value + " must round to even");
        }
    }

    @Test
    void specialValuesConvertCorrectly() {
        assertEquals(Float.POSITIVE_INFINITY, HalfPrecision.bf16ToFloat(HalfPrecision.floatToBf16(Float.MAX_VALUE)));
        assertEquals(Float.NEGATIVE_INFINITY, HalfPrecision.bf16ToFloat(HalfPrecision.floatToBf16(Float.NEGATIVE_INFINITY)));
        assertTrue(Float.isNaN(HalfPrecision.bf16ToFloat(HalfPrecision.floatToBf16(Float.NaN))));
        // A NaN whose payload lives only in the low bits must not become infinity.
        assertTrue(Float.isNaN(HalfPrecision.bf16ToFloat(HalfPrecision.floatToBf16(Float.intBitsToFloat(0x7F800001)))));
        assertEquals(0x1p-133f, HalfPrecision.bf16ToFloat(HalfPrecision.floatToBf16(0x1p-133f)), "smallest BF16 subnormal");
        assertEquals(0f, HalfPrecision.bf16ToFloat(HalfPrecision.floatToBf16(Float.MIN_VALUE)), "below half of it: zero");
        assertEquals(Float.POSITIVE_INFINITY, HalfPrecision.f16ToFloat(HalfPrecision.floatToF16(65520f)));
        assertEquals(0x1p-24f, HalfPrecision.f16ToFloat(HalfPrecision.floatToF16(0x1p-24f)), "smallest F16 subnormal");
        assertEquals(-0.0f, HalfPrecision.bf16ToFloat(HalfPrecision.floatToBf16(-0.0f)));
        assertEquals(1.0078125f, HalfPrecision.bf16ToFloat(HalfPrecision.floatToBf16(1.01f)));
    }

    @Test
    void tensorsConvertBetweenAllDtypes() {
        Tensor values = Tensor.fromArray(new float[]{1.5f, -2.25f, 0f, 3f}, 2, 2);
        for (DType dtype : DType.values()) {
            Tensor back = values.to(dtype).to(DType.F32);
            float[] expected = dtype.isInteger() ? new float[]{1f, -2f, 0f, 3f} : values.toFloatArray();
            org.junit.jupiter.api.Assertions.assertArrayEquals(expected, back.toFloatArray(), dtype.toString());
        }
        Tensor bf16 = values.transpose(0, 1).to(DType.BF16);
        assertEquals(DType.BF16, bf16.dtype());
        assertEquals(-2.25, bf16.get(1, 0));
    }


    /** Every one of the 65536 F16 patterns widens and narrows back to itself (a NaN stays a NaN of the same sign). */
    @Property(tries = 65536, generation = GenerationMode.EXHAUSTIVE)
    void f16RoundTripsEveryBitPattern(@ForAll short bits) {
        float widened = HalfPrecision.f16ToFloat(bits);
        short back = HalfPrecision.floatToF16(widened);
        if (Float.isNaN(widened)) {
            assertTrue(Float.isNaN(HalfPrecision.f16ToFloat(back)));
            assertEquals(bits & 0x8000, back & 0x8000);
        } else {
            assertEquals(bits, back);
        }
    }

    /** Every one of the 65536 BF16 patterns widens and narrows back to itself (a NaN stays a NaN of the same sign). */
    @Property(tries = 65536, generation = GenerationMode.EXHAUSTIVE)
    void bf16RoundTripsEveryBitPattern(@ForAll short bits) {
        float widened = HalfPrecision.bf16ToFloat(bits);
        assertEquals(bits & 0xFFFF, Float.floatToRawIntBits(widened) >>> 16, "widening puts the pattern on top");
        short back = HalfPrecision.floatToBf16(widened);
        if (Float.isNaN(widened)) {
            assertTrue(Float.isNaN(HalfPrecision.bf16ToFloat(back)));
            assertEquals(bits & 0x8000, back & 0x8000);
        } else {
            assertEquals(bits, back);
        }
    }

    /** Narrowing any float (all bit patterns are drawn, so subnormals, huge values and NaN occur) matches the twin. */
    @Property(tries = 3000)
    void narrowingPicksTheNearestValueTiesToEven(@ForAll int floatBits) {
        float value = Float.intBitsToFloat(floatBits);
        checkNarrowing(value);
    }

    /** The same on values near the formats' precision, where ties and overflow decisions happen. */
    @Property(tries = 2000)
    void narrowingNearSmallAndLargeMagnitudes(@ForAll @FloatRange(min = -70000f, max = 70000f) float value) {
        checkNarrowing(value);
        checkNarrowing(value * 1e-7f);
    }

    private static void checkNarrowing(float value) {
        short bf16 = HalfPrecision.floatToBf16(value);
        short f16 = HalfPrecision.floatToF16(value);
        if (Float.isNaN(value)) {
            assertTrue(Float.isNaN(HalfPrecision.bf16ToFloat(bf16)));
            assertTrue(Float.isNaN(HalfPrecision.f16ToFloat(f16)));
            return;
        }
        assertEquals(NearestTwin.BF16.nearest(value), bf16, () -> "bf16 of " + value);
        assertEquals(NearestTwin.F16.nearest(value), f16, () -> "f16 of " + value);
    }

    @Test
    void knownValues() {
        assertEquals(0x3F80, HalfPrecision.floatToBf16(1f));
        assertEquals(0x3C00, HalfPrecision.floatToF16(1f));
        // 1 + 2^-8 is exactly halfway between bf16 1.0 (even) and 1.0078125 (odd): ties go to even.
        assertEquals(0x3F80, HalfPrecision.floatToBf16(1f + 0x1p-8f));
        // 1 + 3 * 2^-8 is halfway between 1.0078125 (odd) and 1.015625 (even).
        assertEquals(0x3F82, HalfPrecision.floatToBf16(1f + 3 * 0x1p-8f));
        assertEquals((short) 0x7F80, HalfPrecision.floatToBf16(Float.MAX_VALUE), "rounds past the largest bf16 to infinity");
        assertEquals((short) 0x7C00, HalfPrecision.floatToF16(65520f), "65520 is the f16 overflow tie: to infinity");
        assertEquals((short) 0x7BFF, HalfPrecision.floatToF16(65519.99f));
        assertEquals(0x0001, HalfPrecision.floatToBf16(Float.MIN_VALUE * 65536), "smallest bf16 subnormal");
        assertEquals((short) 0x7FC1, HalfPrecision.floatToBf16(Float.intBitsToFloat(0x7F810000)), "signalling NaN becomes quiet");
    }

    /**
     * The obvious twin of narrowing: the sorted table of every non-negative finite value of the format plus, one
     * step past the largest, the value IEEE rounding treats as infinity (2^(emax+1)); binary search, then pick the
     * nearer neighbour, the even pattern on a tie. Differences are exact in double.
     */
    private enum NearestTwin {
        F16(0x7BFF, 0x7C00) {
            double value(int bits) { return Float.float16ToFloat((short) bits); }
        },
        BF16(0x7F7F, 0x7F80) {
            double value(int bits) { return Float.intBitsToFloat(bits << 16); }
        };

        private final double[] table;
        private final int infinityBits;

        NearestTwin(int largestFiniteBits, int infinityBits) {
            this.infinityBits = infinityBits;
            table = new double[largestFiniteBits + 2];
            for (int bits = 0; bits <= largestFiniteBits; bits++) {
                table[bits] = value(bits);
            }
            double largest = table[largestFiniteBits];
            table[largestFiniteBits + 1] = largest + (largest - table[largestFiniteBits - 1]);
        }

        abstract double value(int bits);

        short nearest(float x) {
            int sign = (Float.floatToRawIntBits(x) >>> 16) & 0x8000;
            double magnitude = Math.abs((double) x);
            int bits;
            if (magnitude >= table[table.length - 1]) {
                bits = infinityBits;
            } else {
                int found = Arrays.binarySearch(table, magnitude);
                if (found >= 0) {
                    bits = found;
                } else {
                    int above = -found - 1;
                    int below = above - 1;
                    double toBelow = magnitude - table[below];
                    double toAbove = table[above] - magnitude;
                    bits = toBelow < toAbove ? below : toAbove < toBelow ? above : (below % 2 == 0 ? below : above);
                }
                if (bits == table.length - 1) {
                    bits = infinityBits;
                }
            }
            return (short) (sign | bits);
        }
    }
}
