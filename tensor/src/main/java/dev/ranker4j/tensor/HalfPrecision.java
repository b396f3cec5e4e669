package dev.ranker4j.tensor;

/**
 * Conversions between float and the two 16-bit formats, as raw bit patterns in a {@code short}.
 *
 * <p>IEEE binary16 (F16: 1 sign, 5 exponent, 10 mantissa bits) uses the JDK's {@link Float#floatToFloat16} and
 * {@link Float#float16ToFloat}, which round to nearest even and handle NaN, infinities and subnormals.
 *
 * <p>bfloat16 (BF16: 1 sign, 8 exponent, 7 mantissa bits) is the upper half of a float, so widening is a shift and
 * narrowing is rounding away the lower 16 bits to nearest even: add {@code 0x7FFF} plus the lowest kept bit, then
 * truncate. That one addition also carries correctly into the exponent (rounding up to the next binade, or to
 * infinity past the largest finite value). NaN is handled apart so that rounding can never turn it into infinity.
 */
public final class HalfPrecision {
    private HalfPrecision() {}

    /** The F16 bit pattern nearest to {@code value} (ties to even). */
    public static short floatToF16(float value) {
        return Float.floatToFloat16(value);
    }

    /** The float an F16 bit pattern denotes (exact: every F16 value is a float). */
    public static float f16ToFloat(short bits) {
        return Float.float16ToFloat(bits);
    }

    /** The BF16 bit pattern nearest to {@code value} (ties to even); NaN stays a (quiet) NaN with its sign. */
    public static short floatToBf16(float value) {
        int bits = Float.floatToRawIntBits(value);
        if (Float.isNaN(value)) return (short) ((bits >>> 16) | 0x0040);
        int lowestKeptBit = (bits >>> 16) & 1;
        return (short) ((bits + 0x7FFF + lowestKeptBit) >>> 16);
    }

    /** The float a BF16 bit pattern denotes (exact). */
    public static float bf16ToFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xFFFF) << 16);
    }
}
