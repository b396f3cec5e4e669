package dev.ranker4j.hfio.safetensors;

import dev.ranker4j.tensor.HalfPrecision;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Decodes the little-endian bytes of one tensor into a Java array, converting between element types.
 *
 * <p>When the stored type is the requested one, the bytes are copied in bulk; otherwise each element is read and
 * converted: F16 and BF16 widen exactly ({@link HalfPrecision}), F64 narrows to float with round-to-nearest-even
 * (Java's {@code (float)} cast), integers convert as Java's casts do (exact up to 2^24 for float, 2^53 for double),
 * U8 is unsigned, BOOL is 0 or 1.
 */
final class TensorDecoding {
    private TensorDecoding() {}

    static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    static float[] toFloats(MemorySegment data, SafetensorsDtype dtype, int count) {
        float[] out = new float[count];
        switch (dtype) {
            case F32 -> MemorySegment.copy(data, F32, 0, out, 0, count);
            case F16 -> { for (int i = 0; i < count; i++) out[i] = HalfPrecision.f16ToFloat(data.getAtIndex(I16, i)); }
            case BF16 -> { for (int i = 0; i < count; i++) out[i] = HalfPrecision.bf16ToFloat(data.getAtIndex(I16, i)); }
            case F64 -> { for (int i = 0; i < count; i++) out[i] = (float) data.getAtIndex(F64, i); }
            default -> { for (int i = 0; i < count; i++) out[i] = integerAt(data, dtype, i); }
        }
        return out;
    }

    static double[] toDoubles(MemorySegment data, SafetensorsDtype dtype, int count) {
        double[] out = new double[count];
        switch (dtype) {
            case F64 -> MemorySegment.copy(data, F64, 0, out, 0, count);
            case F32 -> { for (int i = 0; i < count; i++) out[i] = data.getAtIndex(F32, i); }
            case F16 -> { for (int i = 0; i < count; i++) out[i] = HalfPrecision.f16ToFloat(data.getAtIndex(I16, i)); }
            case BF16 -> { for (int i = 0; i < count; i++) out[i] = HalfPrecision.bf16ToFloat(data.getAtIndex(I16, i)); }
            default -> { for (int i = 0; i < count; i++) out[i] = integerAt(data, dtype, i); }
        }
        return out;
    }

    /** Integer dtypes only (the caller checks). */
    static long[] toLongs(MemorySegment data, SafetensorsDtype dtype, int count) {
        long[] out = new long[count];
        if (dtype == SafetensorsDtype.I64) {
            MemorySegment.copy(data, I64, 0, out, 0, count);
        } else {
            for (int i = 0; i < count; i++) out[i] = integerAt(data, dtype, i);
        }
        return out;
    }

    /** Integer dtypes only (the caller checks); returns the index of the first I64 value outside int range via the exception. */
    static int[] toInts(MemorySegment data, SafetensorsDtype dtype, int count, String name) {
        int[] out = new int[count];
        if (dtype == SafetensorsDtype.I32) {
            MemorySegment.copy(data, I32, 0, out, 0, count);
            return out;
        }
        for (int i = 0; i < count; i++) {
            long value = integerAt(data, dtype, i);
            if (value != (int) value) {
                throw new ArithmeticException("tensor '" + name + "': I64 element " + i + " = " + value
                        + " does not fit in an int; use readI64");
            }
            out[i] = (int) value;
        }
        return out;
    }

    /** Element {@code i} of an integer or BOOL tensor as a long. */
    static long integerAt(MemorySegment data, SafetensorsDtype dtype, long i) {
        return switch (dtype) {
            case I64 -> data.getAtIndex(I64, i);
            case I32 -> data.getAtIndex(I32, i);
            case I16 -> data.getAtIndex(I16, i);
            case I8 -> data.get(ValueLayout.JAVA_BYTE, i);
            case U8, BOOL -> Byte.toUnsignedInt(data.get(ValueLayout.JAVA_BYTE, i));
            default -> throw new IllegalArgumentException(dtype + " is not an integer dtype");
        };
    }
}
