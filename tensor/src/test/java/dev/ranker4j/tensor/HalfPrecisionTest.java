package dev.ranker4j.tensor;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HalfPrecisionTest {

    @Test
    void everyBf16AndF16BitPatternSurvivesARoundTripThroughFloat() {
        for (int bits = 0; bits < 0x10000; bits++) {
            short pattern = (short) bits;
            float bf16 = HalfPrecision.bf16ToFloat(pattern);
            float f16 = HalfPrecision.f16ToFloat(pattern);
            if (Float.isNaN(bf16)) assertTrue(Float.isNaN(HalfPrecision.bf16ToFloat(HalfPrecision.floatToBf16(bf16))));
            else assertEquals(pattern, HalfPrecision.floatToBf16(bf16), "BF16 bits " + Integer.toHexString(bits));
            if (Float.isNaN(f16)) assertTrue(Float.isNaN(HalfPrecision.f16ToFloat(HalfPrecision.floatToF16(f16))));
            else assertEquals(pattern, HalfPrecision.floatToF16(f16), "F16 bits " + Integer.toHexString(bits));
        }
    }

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
}
