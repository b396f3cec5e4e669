package dev.ranker4j.transformer.io;

/**
 * Exact conversions between {@code float} and the two 16-bit float formats checkpoints use.
 *
 * <ul>
 *   <li>F16 (IEEE 754 binary16): 1 sign bit, 5 exponent bits (bias 15), 10 mantissa bits; largest finite 65504.
 *   <li>BF16 (bfloat16): the top 16 bits of a binary32 float: 1 sign bit, 8 exponent bits (bias 127), 7 mantissa
 *       bits. Same range as {@code float}, less precision.
 * </ul>
 *
 * <p>Widening (16 to 32 bits) is exact for every bit pattern. Narrowing rounds to the nearest representable value,
 * ties to the one with an even last mantissa bit (IEEE round-to-nearest-even), overflowing to infinity exactly where
 * IEEE does; subnormals are kept; NaN stays NaN (sign kept, quiet bit set).
 */
public final class HalfFloats {
    private HalfFloats() {}

    /** The float an F16 bit pattern stands for (exact). */
    public static float f16ToF32(short f16Bits) {
        return Float.float16ToFloat(f16Bits);
    }

    /** The F16 bit pattern nearest to {@code value}, ties to even. */
    public static short f32ToF16(float value) {
        return Float.floatToFloat16(value);
    }

    /** The float a BF16 bit pattern stands for: the pattern becomes the upper half of a binary32 (exact). */
    public static float bf16ToF32(short bf16Bits) {
        return Float.intBitsToFloat((bf16Bits & 0xFFFF) << 16);
    }

    /** The BF16 bit pattern nearest to {@code value}, ties to even. */
    public static short f32ToBf16(float value) {
        int bits = Float.floatToRawIntBits(value);
        if (Float.isNaN(value)) {
            // Truncating could clear every mantissa bit left and turn a NaN into infinity; set the quiet bit instead.
            return (short) ((bits >>> 16) | 0x0040);
        }
        // Round to nearest even on the 16 dropped bits: add just under half an ulp, plus one more when the kept
        // part is odd, so an exact tie rounds up only from an odd value. A carry into the exponent is correct
        // (it is the next binade, or infinity after the largest finite value).
        int lsbOfKept = (bits >>> 16) & 1;
        return (short) ((bits + 0x7FFF + lsbOfKept) >>> 16);
    }
}
