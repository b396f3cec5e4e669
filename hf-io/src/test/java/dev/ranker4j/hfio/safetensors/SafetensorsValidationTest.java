package dev.ranker4j.hfio.safetensors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each way a safetensors file can be broken gets its own precise error naming the file and the tensor or field. */
class SafetensorsValidationTest {
    @TempDir
    Path dir;

    private Path raw(String headerJson, int dataBytes) throws Exception {
        byte[] header = headerJson.getBytes(StandardCharsets.UTF_8);
        return rawBytes(header.length, header, new byte[dataBytes]);
    }

    private Path rawBytes(long declaredHeaderLength, byte[] header, byte[] data) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(declaredHeaderLength).array());
        out.write(header);
        out.write(data);
        Path file = Files.createTempFile(dir, "bad", ".safetensors");
        Files.write(file, out.toByteArray());
        return file;
    }

    /** Opens {@code file}, expects the format error and checks its message names the file and every fragment. */
    private static void assertRejected(Path file, String... fragments) {
        SafetensorsFormatException e = assertThrows(SafetensorsFormatException.class, () -> SafetensorsFile.open(file).close());
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertEquals(file, e.file());
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment), () -> "'" + fragment + "' not in: " + e.getMessage());
        }
    }

    private static String tensor(String name, String dtype, String shape, long begin, long end) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":[" + begin + "," + end + "]}";
    }

    @Test
    void aValidHandMadeFileOpens() throws Exception {
        Path file = raw("{" + tensor("a", "F32", "[2]", 0, 8) + "," + tensor("b", "I8", "[]", 8, 9) + "}  ", 9);
        try (SafetensorsFile read = SafetensorsFile.open(file)) {
            assertEquals(List.of("a", "b"), List.copyOf(read.names()));
        }
    }

    @Test
    void truncatedBeforeTheLengthField() throws Exception {
        Path file = dir.resolve("tiny.safetensors");
        Files.write(file, new byte[] {1, 2, 3});
        assertRejected(file, "truncated: 3 bytes");
    }

    @Test
    void headerLengthBeyondTheFile() throws Exception {
        assertRejected(rawBytes(1000, "{}".getBytes(StandardCharsets.UTF_8), new byte[0]),
                "header length 1000 goes beyond the end of the file (10 bytes)");
        assertRejected(rawBytes(-1, "{}".getBytes(StandardCharsets.UTF_8), new byte[0]),
                "header length 18446744073709551615");
    }

    @Test
    void invalidJsonAndNonObjectHeaders() throws Exception {
        assertRejected(raw("{\"a\":", 0), "header is not valid JSON");
        assertRejected(raw("[1,2]", 0), "does not start with '{'");
        assertRejected(raw("{} {}", 0), "header is not valid JSON");
        assertRejected(rawBytes(3, new byte[] {'{', (byte) 0xC3, '}'}, new byte[0]), "not valid UTF-8");
    }

    @Test
    void missingAndIllTypedFields() throws Exception {
        assertRejected(raw("{\"w\":{\"shape\":[1],\"data_offsets\":[0,4]}}", 4), "tensor 'w'", "missing field 'dtype'");
        assertRejected(raw("{\"w\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", 4), "tensor 'w'", "missing field 'shape'");
        assertRejected(raw("{\"w\":{\"dtype\":\"F32\",\"shape\":[1]}}", 4), "tensor 'w'", "missing field 'data_offsets'");
        assertRejected(raw("{\"w\":{\"dtype\":4,\"shape\":[1],\"data_offsets\":[0,4]}}", 4), "tensor 'w'", "'dtype' must be a string");
        assertRejected(raw("{\"w\":{\"dtype\":\"F32\",\"shape\":\"1\",\"data_offsets\":[0,4]}}", 4), "tensor 'w'", "'shape' must be an array");
        assertRejected(raw("{\"w\":{\"dtype\":\"F32\",\"shape\":[1.0],\"data_offsets\":[0,4]}}", 4), "tensor 'w'", "'shape' element 0 must be an integer");
        assertRejected(raw("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0]}}", 4), "tensor 'w'", "exactly 2 numbers");
        assertRejected(raw("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,99999999999999999999]}}", 4),
                "tensor 'w'", "fits in 64 bits");
        assertRejected(raw("{\"w\":[]}", 0), "tensor 'w'", "entry must be an object");
        assertRejected(raw("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"extra\":1}}", 4), "tensor 'w'", "unknown field 'extra'");
        assertRejected(raw("{\"__metadata__\":{\"format\":1}}", 0), "__metadata__ entry 'format' must be a string");
        assertRejected(raw("{\"__metadata__\":[]}", 0), "'__metadata__' must be an object");
    }

    @Test
    void offsetsOutOfRangeOverlappingOrLeavingGaps() throws Exception {
        assertRejected(raw("{" + tensor("w", "F32", "[2]", 0, 8) + "}", 4), "tensor 'w'", "out of range: the data section has 4 bytes");
        assertRejected(raw("{" + tensor("w", "F32", "[1]", 4, 0) + "}", 4), "tensor 'w'", "end before they begin");
        assertRejected(raw("{" + tensor("a", "F32", "[2]", 0, 8) + "," + tensor("b", "F32", "[1]", 4, 8) + "}", 8),
                "tensor 'b'", "overlap tensor 'a'");
        assertRejected(raw("{" + tensor("a", "F32", "[1]", 0, 4) + "," + tensor("b", "F32", "[1]", 8, 12) + "}", 12),
                "tensor 'b'", "gap of 4 unused bytes between tensor 'a'");
        assertRejected(raw("{" + tensor("a", "F32", "[1]", 4, 8) + "}", 8), "tensor 'a'", "gap of 4 unused bytes between the start");
        assertRejected(raw("{" + tensor("a", "F32", "[1]", 0, 4) + "}", 6), "2 trailing bytes belong to no tensor");
    }

    @Test
    void byteCountsMustMatchTheDtypeAndShape() throws Exception {
        assertRejected(raw("{" + tensor("w", "F32", "[1]", 0, 6) + "}", 6), "tensor 'w'", "6 bytes is not a whole number of F32 elements");
        assertRejected(raw("{" + tensor("w", "F32", "[3]", 0, 8) + "}", 8), "tensor 'w'", "shape [3] of F32 needs 12 bytes but data_offsets [0, 8] span 8");
        assertRejected(raw("{" + tensor("w", "F32", "[-1]", 0, 4) + "}", 4), "tensor 'w'", "element 0 is negative (-1)");
        assertRejected(raw("{" + tensor("w", "U8", "[4294967296,4294967296,4294967296]", 0, 4) + "}", 4),
                "tensor 'w'", "more elements than fit in 64 bits");
        assertRejected(raw("{" + tensor("w", "F8_E4M3", "[4]", 0, 4) + "}", 4), "tensor 'w'", "unknown dtype \"F8_E4M3\"");
    }

    @Test
    void duplicateNamesAndInvalidBooleans() throws Exception {
        assertRejected(raw("{" + tensor("w", "U8", "[1]", 0, 1) + "," + tensor("w", "U8", "[1]", 1, 2) + "}", 2),
                "repeats a name", "Duplicate field 'w'");
        byte[] header = ("{" + tensor("mask", "BOOL", "[3]", 0, 3) + "}").getBytes(StandardCharsets.UTF_8);
        assertRejected(rawBytes(header.length, header, new byte[] {1, 0, 2}), "tensor 'mask'", "BOOL element 2 is 2");
    }

    @Test
    void shardedCheckpointsWithMissingShardsOrTensors() throws Exception {
        SafetensorsWriter.write(dir.resolve("shard-1.safetensors"), null, List.of(
                SafetensorsWriter.Entry.f32("a", new long[] {1}, new float[] {1}),
                SafetensorsWriter.Entry.f32("b", new long[] {1}, new float[] {2})));
        Path index = dir.resolve("model.safetensors.index.json");

        Files.writeString(index, "{\"weight_map\":{\"a\":\"shard-1.safetensors\",\"b\":\"shard-1.safetensors\",\"c\":\"shard-2.safetensors\"}}");
        assertRejected(index, "shard 'shard-2.safetensors' listed in weight_map does not exist");

        Files.writeString(index, "{\"weight_map\":{\"a\":\"shard-1.safetensors\",\"b\":\"shard-1.safetensors\",\"z\":\"shard-1.safetensors\"}}");
        assertRejected(index, "tensor 'z' is listed in weight_map under shard 'shard-1.safetensors' but that shard has no such tensor");

        Files.writeString(index, "{\"weight_map\":{\"a\":\"shard-1.safetensors\"}}");
        assertRejected(index, "holds tensor 'b' which weight_map does not list");

        Files.writeString(index, "{\"weight_map\":{\"a\":\"../shard-1.safetensors\"}}");
        assertRejected(index, "outside the index's directory");

        Files.writeString(index, "{\"weight_map\":[]}");
        assertRejected(index, "'weight_map' must be an object");

        Files.writeString(index, "{\"weight_map\":");
        assertRejected(index, "not valid JSON");
    }

    @Test
    void aBrokenShardIsReportedUnderItsOwnName() throws Exception {
        Path shard = dir.resolve("shard-1.safetensors");
        Files.write(shard, new byte[] {9});
        Path index = dir.resolve("model.safetensors.index.json");
        Files.writeString(index, "{\"weight_map\":{\"a\":\"shard-1.safetensors\"}}");
        SafetensorsFormatException e = assertThrows(SafetensorsFormatException.class, () -> SafetensorsFile.open(dir));
        assertEquals(shard.toAbsolutePath().normalize(), e.file());
    }

    @Test
    void directoryWithoutACheckpoint() {
        var e = assertThrows(java.nio.file.NoSuchFileException.class, () -> SafetensorsFile.open(dir));
        assertTrue(e.getMessage().contains("neither model.safetensors nor model.safetensors.index.json"), e.getMessage());
    }

    @Test
    void metadataIsExposed() throws Exception {
        Path file = raw("{\"__metadata__\":{\"format\":\"pt\",\"note\":\"x\"}}", 0);
        try (SafetensorsFile read = SafetensorsFile.open(file)) {
            assertEquals(Map.of("format", "pt", "note", "x"), read.metadata());
            assertTrue(read.names().isEmpty());
        }
    }
}
