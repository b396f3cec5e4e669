package dev.ranker4j.hfio.onnx;

import java.nio.charset.StandardCharsets;

/**
 * A cursor over one Protocol Buffers message in wire format: just enough of the encoding to read ONNX files without a
 * protobuf dependency.
 *
 * <p>The wire format is a sequence of fields. Each field starts with a varint key {@code (fieldNumber << 3) | wireType};
 * the wire type says how long the value is:
 * <ul>
 *   <li>0 VARINT: 7 bits per byte, least significant group first, high bit set on every byte but the last;</li>
 *   <li>1 I64: eight bytes little-endian (double, fixed64);</li>
 *   <li>2 LEN: a varint byte count, then that many bytes (strings, bytes, nested messages, packed repeated scalars);</li>
 *   <li>5 I32: four bytes little-endian (float, fixed32).</li>
 * </ul>
 * Wire types 3 and 4 (deprecated groups) are rejected. A reader never reads past its message's end: every length is
 * checked against the bytes that remain, so truncated or corrupt input ends in a {@link OnnxFormatException} that says
 * where, never in an {@link ArrayIndexOutOfBoundsException}.
 */
public final class ProtoReader {
    public static final int VARINT = 0;
    public static final int I64 = 1;
    public static final int LEN = 2;
    public static final int I32 = 5;

    private final byte[] bytes;
    private final int end;
    private final String what;
    private int position;
    private int fieldNumber;
    private int wireType;

    /** Reads {@code bytes[from, to)}; {@code what} names the message in error messages (e.g. "ModelProto"). */
    public ProtoReader(byte[] bytes, int from, int to, String what) {
        if (from < 0 || to > bytes.length || from > to) {
            throw new IllegalArgumentException("range [" + from + ", " + to + ") outside " + bytes.length + " bytes");
        }
        this.bytes = bytes;
        this.position = from;
        this.end = to;
        this.what = what;
    }

    /** Reads the whole array as one message. */
    public ProtoReader(byte[] bytes, String what) {
        this(bytes, 0, bytes.length, what);
    }

    /** Advances to the next field's key; false at the end of the message. */
    public boolean next() {
        if (position >= end) return false;
        int keyAt = position;
        long key = readVarintRaw();
        if (key >>> 3 == 0 || key >>> 3 > 0x1FFF_FFFF) throw error(keyAt, "invalid field number " + (key >>> 3));
        fieldNumber = (int) (key >>> 3);
        wireType = (int) (key & 7);
        if (wireType != VARINT && wireType != I64 && wireType != LEN && wireType != I32) {
            throw error(keyAt, "unsupported wire type " + wireType + " for field " + fieldNumber);
        }
        return true;
    }

    public int fieldNumber() { return fieldNumber; }

    public int wireType() { return wireType; }

    /** Byte offset of the cursor in the underlying array (for error messages and nested readers). */
    public int position() { return position; }

    public long readVarint() {
        expect(VARINT);
        return readVarintRaw();
    }

    /** A fixed 32-bit value (float bits or fixed32). */
    public int readFixed32() {
        expect(I32);
        int value = littleEndianInt(position, 4);
        position += 4;
        return value;
    }

    /** A fixed 64-bit value (double bits or fixed64). */
    public long readFixed64() {
        expect(I64);
        long value = littleEndianLong(position);
        position += 8;
        return value;
    }

    public float readFloat() { return Float.intBitsToFloat(readFixed32()); }

    /** A length-delimited value as a nested reader over its bytes (for embedded messages). */
    public ProtoReader readMessage(String nestedWhat) {
        int length = readLength();
        ProtoReader nested = new ProtoReader(bytes, position, position + length, what + "." + nestedWhat);
        position += length;
        return nested;
    }

    /** A length-delimited value as a copy of its bytes. */
    public byte[] readBytes() {
        int length = readLength();
        byte[] copy = java.util.Arrays.copyOfRange(bytes, position, position + length);
        position += length;
        return copy;
    }

    public String readString() {
        int length = readLength();
        String value = new String(bytes, position, length, StandardCharsets.UTF_8);
        position += length;
        return value;
    }

    /**
     * A repeated varint field's values: packed (one LEN field holding many varints, proto3's default) or a single
     * unpacked element (wire type VARINT). Callers append what this returns.
     */
    public long[] readVarints() {
        if (wireType == VARINT) return new long[] {readVarintRaw()};
        int length = readLength();
        int stop = position + length;
        long[] values = new long[length];
        int count = 0;
        ProtoReader packed = new ProtoReader(bytes, position, stop, what);
        while (packed.position < stop) values[count++] = packed.readVarintRaw();
        position = stop;
        return java.util.Arrays.copyOf(values, count);
    }

    /** A repeated float field's values, packed or unpacked. */
    public float[] readFloats() {
        if (wireType == I32) return new float[] {readFloat()};
        int length = readLength();
        if (length % 4 != 0) throw error(position, "packed floats of " + length + " bytes, not a multiple of 4");
        float[] values = new float[length / 4];
        for (int i = 0; i < values.length; i++) values[i] = Float.intBitsToFloat(littleEndianInt(position + 4 * i, 4));
        position += length;
        return values;
    }

    /** A repeated double field's values, packed or unpacked. */
    public double[] readDoubles() {
        if (wireType == I64) return new double[] {Double.longBitsToDouble(readFixed64())};
        int length = readLength();
        if (length % 8 != 0) throw error(position, "packed doubles of " + length + " bytes, not a multiple of 8");
        double[] values = new double[length / 8];
        for (int i = 0; i < values.length; i++) {
            values[i] = Double.longBitsToDouble(littleEndianLong(position + 8 * i));
        }
        position += length;
        return values;
    }

    /** Skips the current field's value, whatever its wire type (unknown fields are legal protobuf). */
    public void skip() {
        switch (wireType) {
            case VARINT -> readVarintRaw();
            case I64 -> advance(8);
            case I32 -> advance(4);
            case LEN -> advance(readLength());
            default -> throw new IllegalStateException("wire type " + wireType);
        }
    }

    /** An {@link OnnxFormatException} naming this message and the current offset. */
    public OnnxFormatException error(String message) {
        return error(position, message);
    }

    private OnnxFormatException error(int at, String message) {
        return new OnnxFormatException(what + " at byte " + at + ": " + message);
    }

    private void expect(int expected) {
        if (wireType != expected) {
            throw error("field " + fieldNumber + " has wire type " + wireType + ", expected " + expected);
        }
    }

    private long readVarintRaw() {
        int start = position;
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (position >= end) throw error(start, "truncated varint (message ends at byte " + end + ")");
            byte b = bytes[position++];
            result |= (long) (b & 0x7F) << shift;
            if (b >= 0) return result;
        }
        throw error(start, "varint longer than 10 bytes");
    }

    private int readLength() {
        expect(LEN);
        int at = position;
        long length = readVarintRaw();
        if (length < 0 || length > end - position) {
            throw error(at, "field " + fieldNumber + " declares " + length + " bytes but only " + (end - position)
                    + " remain");
        }
        return (int) length;
    }

    private void advance(int count) {
        if (count > end - position) {
            throw error("field " + fieldNumber + " needs " + count + " bytes but only " + (end - position) + " remain");
        }
        position += count;
    }

    private long littleEndianLong(int at) {
        return (littleEndianInt(at, 4) & 0xFFFF_FFFFL) | ((long) littleEndianInt(at + 4, 4) << 32);
    }

    private int littleEndianInt(int at, int count) {
        if (at + count > end) {
            throw error(at, "field " + fieldNumber + " needs " + count + " bytes but only " + (end - at) + " remain");
        }
        int value = 0;
        for (int i = count - 1; i >= 0; i--) value = (value << 8) | (bytes[at + i] & 0xFF);
        return value;
    }
}
