package dev.ranker4j.hfio.onnx;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Test helper: encodes protobuf wire format by hand, so the reader is checked against bytes built field by field. */
final class ProtoWriter {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    ProtoWriter varintField(int field, long value) {
        key(field, 0);
        return varint(value);
    }

    ProtoWriter fixed32Field(int field, int bits) {
        key(field, 5);
        for (int i = 0; i < 4; i++) out.write(bits >>> (8 * i));
        return this;
    }

    ProtoWriter fixed64Field(int field, long bits) {
        key(field, 1);
        for (int i = 0; i < 8; i++) out.write((int) (bits >>> (8 * i)));
        return this;
    }

    ProtoWriter bytesField(int field, byte[] bytes) {
        key(field, 2);
        varint(bytes.length);
        out.writeBytes(bytes);
        return this;
    }

    ProtoWriter stringField(int field, String value) {
        return bytesField(field, value.getBytes(StandardCharsets.UTF_8));
    }

    ProtoWriter messageField(int field, ProtoWriter message) {
        return bytesField(field, message.bytes());
    }

    ProtoWriter packedVarints(int field, long... values) {
        ProtoWriter packed = new ProtoWriter();
        for (long value : values) packed.varint(value);
        return bytesField(field, packed.bytes());
    }

    ProtoWriter packedFloats(int field, float... values) {
        ProtoWriter packed = new ProtoWriter();
        for (float value : values) {
            int bits = Float.floatToRawIntBits(value);
            for (int i = 0; i < 4; i++) packed.out.write(bits >>> (8 * i));
        }
        return bytesField(field, packed.bytes());
    }

    ProtoWriter key(int field, int wireType) {
        return varint(((long) field << 3) | wireType);
    }

    ProtoWriter varint(long value) {
        while ((value & ~0x7FL) != 0) {
            out.write((int) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        out.write((int) value);
        return this;
    }

    byte[] bytes() {
        return out.toByteArray();
    }
}
