package dev.ranker4j.hfio.safetensors;

import dev.ranker4j.files.AtomicFiles;
import dev.ranker4j.tensor.HalfPrecision;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Writes safetensors files in the layout the reference implementation produces: the 8-byte little-endian header
 * length, the compact JSON header ({@code __metadata__} first when there is any, then the tensors) padded with
 * spaces to a multiple of 8 bytes so the data section starts 8-byte aligned, then the tensors' bytes back to back in
 * the order given. The file is written atomically ({@link AtomicFiles}).
 */
public final class SafetensorsWriter {
    private static final int HEADER_ALIGNMENT = 8;
    private static final ObjectMapper JSON = new ObjectMapper();

    private SafetensorsWriter() {}

    /**
     * One tensor to write: its bytes are already little-endian in the element type {@code dtype}. The factories
     * encode Java arrays. (A record holding arrays: {@code equals} compares them by identity.)
     */
    public record Entry(String name, SafetensorsDtype dtype, long[] shape, byte[] littleEndianData) {
        public Entry {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(dtype, "dtype");
            Objects.requireNonNull(littleEndianData, "littleEndianData");
            shape = shape.clone();
            SafetensorsTensorInfo info = new SafetensorsTensorInfo(name, dtype, shape); // rejects negative dims
            if (info.byteCount() != littleEndianData.length) {
                throw new IllegalArgumentException("tensor '" + name + "': shape " + Arrays.toString(shape) + " of "
                        + dtype + " needs " + info.byteCount() + " bytes, got " + littleEndianData.length);
            }
        }

        @Override
        public long[] shape() {
            return shape.clone();
        }

        /** An F32 tensor from floats. */
        public static Entry f32(String name, long[] shape, float[] data) {
            ByteBuffer bytes = buffer(data.length, Float.BYTES);
            bytes.asFloatBuffer().put(data);
            return new Entry(name, SafetensorsDtype.F32, shape, bytes.array());
        }

        /** An F64 tensor from doubles. */
        public static Entry f64(String name, long[] shape, double[] data) {
            ByteBuffer bytes = buffer(data.length, Double.BYTES);
            bytes.asDoubleBuffer().put(data);
            return new Entry(name, SafetensorsDtype.F64, shape, bytes.array());
        }

        /** An I64 tensor from longs. */
        public static Entry i64(String name, long[] shape, long[] data) {
            ByteBuffer bytes = buffer(data.length, Long.BYTES);
            bytes.asLongBuffer().put(data);
            return new Entry(name, SafetensorsDtype.I64, shape, bytes.array());
        }

        /** An I32 tensor from ints. */
        public static Entry i32(String name, long[] shape, int[] data) {
            ByteBuffer bytes = buffer(data.length, Integer.BYTES);
            bytes.asIntBuffer().put(data);
            return new Entry(name, SafetensorsDtype.I32, shape, bytes.array());
        }

        /** Narrows each float to F16, rounding to nearest even ({@link HalfPrecision#floatToF16}). */
        public static Entry f16FromF32(String name, long[] shape, float[] data) {
            ByteBuffer bytes = buffer(data.length, Short.BYTES);
            for (float value : data) {
                bytes.putShort(HalfPrecision.floatToF16(value));
            }
            return new Entry(name, SafetensorsDtype.F16, shape, bytes.array());
        }

        /** Narrows each float to BF16, rounding to nearest even ({@link HalfPrecision#floatToBf16}). */
        public static Entry bf16FromF32(String name, long[] shape, float[] data) {
            ByteBuffer bytes = buffer(data.length, Short.BYTES);
            for (float value : data) {
                bytes.putShort(HalfPrecision.floatToBf16(value));
            }
            return new Entry(name, SafetensorsDtype.BF16, shape, bytes.array());
        }

        private static ByteBuffer buffer(int count, int elementBytes) {
            return ByteBuffer.allocate(Math.multiplyExact(count, elementBytes)).order(ByteOrder.LITTLE_ENDIAN);
        }
    }

    /**
     * Writes {@code entries} to {@code file}, replacing it atomically.
     *
     * @param metadata the {@code __metadata__} strings; omitted from the header when null or empty
     * @throws IllegalArgumentException for a repeated name or the reserved name {@code __metadata__}
     */
    public static void write(Path file, Map<String, String> metadata, List<Entry> entries) throws IOException {
        byte[] header = header(metadata, entries);
        AtomicFiles.write(file, channel -> {
            ByteBuffer length = ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length);
            AtomicFiles.writeFully(channel, length.flip());
            AtomicFiles.writeFully(channel, ByteBuffer.wrap(header));
            for (Entry entry : entries) {
                AtomicFiles.writeFully(channel, ByteBuffer.wrap(entry.littleEndianData()));
            }
        });
    }

    /** The JSON header, space-padded to a multiple of 8 bytes. */
    static byte[] header(Map<String, String> metadata, List<Entry> entries) {
        ObjectNode root = JSON.createObjectNode();
        if (metadata != null && !metadata.isEmpty()) {
            ObjectNode metadataNode = root.putObject("__metadata__");
            metadata.forEach(metadataNode::put);
        }
        Set<String> seen = new HashSet<>();
        long offset = 0;
        for (Entry entry : entries) {
            if (entry.name().equals("__metadata__")) {
                throw new IllegalArgumentException("'__metadata__' is reserved and cannot name a tensor");
            }
            if (!seen.add(entry.name())) {
                throw new IllegalArgumentException("tensor '" + entry.name() + "' is listed twice");
            }
            ObjectNode tensor = root.putObject(entry.name());
            tensor.put("dtype", entry.dtype().name());
            ArrayNode shape = tensor.putArray("shape");
            for (long dim : entry.shape) {
                shape.add(dim);
            }
            long end = offset + entry.littleEndianData().length;
            tensor.putArray("data_offsets").add(offset).add(end);
            offset = end;
        }
        byte[] json;
        try {
            json = JSON.writeValueAsString(root).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a safetensors header", e);
        }
        int padding = (HEADER_ALIGNMENT - json.length % HEADER_ALIGNMENT) % HEADER_ALIGNMENT;
        byte[] padded = Arrays.copyOf(json, json.length + padding);
        Arrays.fill(padded, json.length, padded.length, (byte) ' ');
        return padded;
    }
}
