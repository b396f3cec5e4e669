package dev.ranker4j.hfio.safetensors;

import dev.ranker4j.tensor.HalfPrecision;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SafetensorsRoundTripTest {
    @TempDir
    Path dir;

    @Test
    void everyDtypeSurvivesWriteThenRead() throws Exception {
        List<SafetensorsWriter.Entry> entries = SampleCheckpoints.everyDtype(7);
        Path file = dir.resolve("all.safetensors");
        SafetensorsWriter.write(file, Map.of("format", "pt"), entries);

        Map<String, PlainSafetensors.Tensor> plain = PlainSafetensors.decode(Files.readAllBytes(file));
        try (SafetensorsFile read = SafetensorsFile.open(file)) {
            assertEquals(entries.stream().map(SafetensorsWriter.Entry::name).toList(), List.copyOf(read.names()));
            assertEquals(Map.of("format", "pt"), read.metadata());
            for (SafetensorsWriter.Entry entry : entries) {
                SafetensorsTensorInfo info = read.info(entry.name());
                assertEquals(entry.dtype(), info.dtype(), entry.name());
                assertArrayEquals(entry.shape(), info.shape(), entry.name());
                MemorySegment bytes = read.segment(entry.name());
                assertArrayEquals(entry.littleEndianData(), bytes.toArray(ValueLayout.JAVA_BYTE), entry.name());
                PlainSafetensors.Tensor twin = plain.get(entry.name());
                assertArrayEquals(twin.values(), read.readF64(entry.name()), entry.name());
                float[] asFloats = read.readF32(entry.name());
                for (int i = 0; i < asFloats.length; i++) {
                    assertEquals((float) twin.values()[i], asFloats[i], entry.name() + "[" + i + "]");
                }
                if (!info.dtype().isFloatingPoint()) {
                    assertArrayEquals(twin.integers(), read.readI64(entry.name()), entry.name());
                }
            }
        }
    }

    @Test
    void floatFactoriesDecodeToTheValuesWritten() throws Exception {
        float[] values = {1.5f, -3.25f, 0f, 1e-3f, 123456.789f};
        double[] doubles = {Math.E, -1e300, 5e-324};
        long[] longs = {1L << 60, -3};
        Path file = dir.resolve("values.safetensors");
        SafetensorsWriter.write(file, null, List.of(
                SafetensorsWriter.Entry.f32("a", new long[] {5}, values),
                SafetensorsWriter.Entry.f64("b", new long[] {3}, doubles),
                SafetensorsWriter.Entry.i64("c", new long[] {2}, longs),
                SafetensorsWriter.Entry.f16FromF32("d", new long[] {5}, values),
                SafetensorsWriter.Entry.bf16FromF32("e", new long[] {5}, values)));
        try (SafetensorsFile read = SafetensorsFile.open(file)) {
            assertArrayEquals(values, read.readF32("a"));
            assertArrayEquals(doubles, read.readF64("b"));
            assertArrayEquals(longs, read.readI64("c"));
            for (int i = 0; i < values.length; i++) {
                assertEquals(HalfPrecision.f16ToFloat(HalfPrecision.floatToF16(values[i])), read.readF32("d")[i]);
                assertEquals(HalfPrecision.bf16ToFloat(HalfPrecision.floatToBf16(values[i])), read.readF32("e")[i]);
            }
            assertEquals(Map.of(), read.metadata());
            var tooBig = assertThrows(ArithmeticException.class, () -> read.readI32("c"));
            assertTrue(tooBig.getMessage().contains("element 0 = " + (1L << 60)), tooBig.getMessage());
        }
    }

    @Test
    void headerIsPaddedWithSpacesToEightBytesAndListsMetadataFirst() throws Exception {
        Path file = dir.resolve("layout.safetensors");
        SafetensorsWriter.write(file, Map.of("format", "pt"), List.of(
                SafetensorsWriter.Entry.f32("w", new long[] {1}, new float[] {2f})));
        byte[] bytes = Files.readAllBytes(file);
        long headerLength = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        assertEquals(0, headerLength % 8);
        String header = new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8);
        String json = "{\"__metadata__\":{\"format\":\"pt\"},\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}";
        assertEquals(json + " ".repeat((int) headerLength - json.length()), header);
        assertEquals(8 + headerLength + 4, bytes.length);
    }

    @Test
    void rewritingAReferenceFileReproducesItsHeaderAndDataExactly() throws Exception {
        Path reference = dev.ranker4j.testkit.SharedData.require("reference/distilbert/distilbert_forward.safetensors");
        Path copy = dir.resolve("copy.safetensors");
        try (SafetensorsFile read = SafetensorsFile.open(reference)) {
            List<SafetensorsWriter.Entry> entries = new ArrayList<>();
            for (String name : read.names()) {
                SafetensorsTensorInfo info = read.info(name);
                entries.add(new SafetensorsWriter.Entry(name, info.dtype(), info.shape(),
                        read.segment(name).toArray(ValueLayout.JAVA_BYTE)));
            }
            SafetensorsWriter.write(copy, read.metadata(), entries);
        }
        // The reference file lists __metadata__ last, we list it first: JSON key order carries no meaning, so the
        // headers must be equal as JSON trees, and the data sections equal byte for byte.
        byte[] expected = Files.readAllBytes(reference);
        byte[] actual = Files.readAllBytes(copy);
        assertEquals(expected.length, actual.length);
        int headerLength = (int) ByteBuffer.wrap(expected).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        assertEquals(headerLength, ByteBuffer.wrap(actual).order(ByteOrder.LITTLE_ENDIAN).getLong(0));
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        assertEquals(json.readTree(new String(expected, 8, headerLength, StandardCharsets.UTF_8)),
                json.readTree(new String(actual, 8, headerLength, StandardCharsets.UTF_8)));
        assertArrayEquals(java.util.Arrays.copyOfRange(expected, 8 + headerLength, expected.length),
                java.util.Arrays.copyOfRange(actual, 8 + headerLength, actual.length));
    }

    @Test
    void writeReplacesAnExistingFileAndLeavesNoTemporaryFiles() throws Exception {
        Path file = dir.resolve("model.safetensors");
        SafetensorsWriter.write(file, null, List.of(SafetensorsWriter.Entry.f32("a", new long[] {1}, new float[] {1})));
        SafetensorsWriter.write(file, null, List.of(SafetensorsWriter.Entry.f32("b", new long[] {2}, new float[] {2, 3})));
        try (SafetensorsFile read = SafetensorsFile.open(file)) {
            assertEquals(List.of("b"), List.copyOf(read.names()));
        }
        try (var listing = Files.list(dir)) {
            assertEquals(List.of(file), listing.toList());
        }
    }

    @Test
    void writerRefusesDuplicateNamesAndWrongByteCountsWithoutTouchingTheTarget() throws Exception {
        Path file = dir.resolve("keep.safetensors");
        SafetensorsWriter.write(file, null, List.of(SafetensorsWriter.Entry.f32("a", new long[] {1}, new float[] {1})));
        byte[] before = Files.readAllBytes(file);
        var duplicate = assertThrows(IllegalArgumentException.class, () -> SafetensorsWriter.write(file, null, List.of(
                SafetensorsWriter.Entry.f32("x", new long[] {1}, new float[] {1}),
                SafetensorsWriter.Entry.f32("x", new long[] {1}, new float[] {2}))));
        assertTrue(duplicate.getMessage().contains("'x' is listed twice"), duplicate.getMessage());
        var wrongSize = assertThrows(IllegalArgumentException.class,
                () -> SafetensorsWriter.Entry.f32("y", new long[] {2, 2}, new float[] {1, 2, 3}));
        assertTrue(wrongSize.getMessage().contains("needs 16 bytes, got 12"), wrongSize.getMessage());
        assertArrayEquals(before, Files.readAllBytes(file));
    }

    @Test
    void shardedCheckpointIsOneMergedView() throws Exception {
        SafetensorsWriter.write(dir.resolve("model-00001-of-00002.safetensors"), Map.of("format", "pt"), List.of(
                SafetensorsWriter.Entry.f32("a", new long[] {2}, new float[] {1, 2}),
                SafetensorsWriter.Entry.f32("b", new long[] {1}, new float[] {3})));
        SafetensorsWriter.write(dir.resolve("model-00002-of-00002.safetensors"), Map.of("format", "pt"), List.of(
                SafetensorsWriter.Entry.i64("c", new long[] {1}, new long[] {4})));
        Files.writeString(dir.resolve("model.safetensors.index.json"), """
                {"metadata": {"total_size": 20},
                 "weight_map": {"c": "model-00002-of-00002.safetensors",
                                "a": "model-00001-of-00002.safetensors",
                                "b": "model-00001-of-00002.safetensors"}}""");
        try (SafetensorsFile read = SafetensorsFile.open(dir)) {
            assertEquals(List.of("c", "a", "b"), List.copyOf(read.names()));
            assertArrayEquals(new float[] {1, 2}, read.readF32("a"));
            assertArrayEquals(new float[] {3}, read.readF32("b"));
            assertArrayEquals(new long[] {4}, read.readI64("c"));
            Map<String, String> expected = new LinkedHashMap<>();
            expected.put("format", "pt");
            expected.put("total_size", "20");
            assertEquals(expected, read.metadata());
        }
    }

    @Test
    void readsRefuseUnknownNamesAndFloatToIntegerConversions() throws Exception {
        Path file = dir.resolve("x.safetensors");
        SafetensorsWriter.write(file, null, List.of(SafetensorsWriter.Entry.f32("w", new long[] {1}, new float[] {1}),
                SafetensorsWriter.Entry.i64("small", new long[] {2}, new long[] {-7, 1 << 30})));
        try (SafetensorsFile read = SafetensorsFile.open(file)) {
            var unknown = assertThrows(IllegalArgumentException.class, () -> read.readF32("nope"));
            assertTrue(unknown.getMessage().contains("no tensor named 'nope'"), unknown.getMessage());
            var floatToInt = assertThrows(IllegalArgumentException.class, () -> read.readI64("w"));
            assertTrue(floatToInt.getMessage().contains("is F32, not an integer dtype"), floatToInt.getMessage());
            assertArrayEquals(new int[] {-7, 1 << 30}, read.readI32("small"));
        }
        SafetensorsFile closed = SafetensorsFile.open(file);
        closed.close();
        closed.close(); // idempotent
        assertThrows(IllegalStateException.class, () -> closed.readF32("w"));
    }

    @Test
    void filesBeyondTwoGigabytesAreMappedWithLongOffsets() throws Exception {
        // A sparse file: the 2.1 GB tensor occupies no disk blocks, yet the mapping must address all of it.
        long bigBytes = (1L << 31) + 16;
        String header = "{\"small\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"big\":{\"dtype\":\"U8\",\"shape\":[" + bigBytes + "],\"data_offsets\":[8," + (8 + bigBytes) + "]}}";
        byte[] headerBytes = header.getBytes(StandardCharsets.UTF_8);
        Path file = dir.resolve("big.safetensors");
        try (var out = new java.io.RandomAccessFile(file.toFile(), "rw")) {
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(headerBytes.length).array());
            out.write(headerBytes);
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(1.5f).putFloat(-2f).array());
            out.seek(8 + headerBytes.length + 8 + bigBytes - 1);
            out.write(7); // the very last byte of the big tensor
        }
        try (SafetensorsFile read = SafetensorsFile.open(file)) {
            assertArrayEquals(new float[] {1.5f, -2f}, read.readF32("small"));
            MemorySegment big = read.segment("big");
            assertEquals(bigBytes, big.byteSize());
            assertEquals(7, big.get(ValueLayout.JAVA_BYTE, bigBytes - 1));
            assertEquals(0, big.get(ValueLayout.JAVA_BYTE, 1L << 31));
            var tooBig = assertThrows(IllegalArgumentException.class, () -> read.readF32("big"));
            assertTrue(tooBig.getMessage().contains("more than a Java array holds; use segment()"), tooBig.getMessage());
        }
    }
}
