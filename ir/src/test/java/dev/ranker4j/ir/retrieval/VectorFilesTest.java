package dev.ranker4j.ir.retrieval;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The vector file format: round trips, the documented byte layout, and a named error for every broken field. */
class VectorFilesTest {
    @TempDir
    Path dir;

    private static final DenseVectors SMALL = DenseVectors.of(List.of("doc-1", "é"),
            new float[][] {{0.6f, 0.8f, 0f}, {0f, 0f, 1f}}, true);

    @Property(tries = 30)
    void roundTripsExactly(@ForAll @IntRange(min = 1, max = 50) int count,
                           @ForAll @IntRange(min = 1, max = 40) int dimension, @ForAll @LongRange long seed)
            throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        List<String> ids = new ArrayList<>();
        float[][] rows = new float[count][dimension];
        for (int i = 0; i < count; i++) {
            ids.add("id" + i + "😀".repeat(random.nextInt(3)));
            for (int j = 0; j < dimension; j++) rows[i][j] = (float) random.nextDouble(-10, 10);
        }
        // jqwik does not inject JUnit's @TempDir into properties.
        Path file = Files.createTempFile("ranker4j-vectors", ".vec");
        try {
            DenseVectors vectors = DenseVectors.of(ids, rows, false);
            VectorFiles.write(file, vectors);
            assertEquals(vectors, VectorFiles.read(file));
            assertEquals(0, (Files.size(file) - 4L * count * dimension) % 64, "data starts 64-byte aligned");
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void layoutIsTheDocumentedOne() throws IOException {
        Path file = dir.resolve("small.vec");
        VectorFiles.write(file, SMALL);
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals("R4JVECTR", new String(bytes.array(), 0, 8, java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals(1, bytes.getInt(8));     // version
        assertEquals(1, bytes.getInt(12));    // dtype float32
        assertEquals(3, bytes.getInt(16));    // dim
        assertEquals(1, bytes.getInt(20));    // flags: normalized
        assertEquals(2, bytes.getLong(24));   // count
        assertEquals(4 + 5 + 4 + 2, bytes.getLong(32)); // "doc-1" and "é" (2 UTF-8 bytes)
        assertEquals(5, bytes.getInt(40));
        assertEquals(64, bytes.capacity() - 6 * 4); // 40 + 15 header bytes padded to 64
        assertEquals(0.6f, bytes.getFloat(64));
        assertEquals(1f, bytes.getFloat(64 + 5 * 4));
    }

    @Test
    void everyBrokenFieldIsNamed() throws IOException {
        Path good = dir.resolve("good.vec");
        VectorFiles.write(good, SMALL);
        byte[] original = Files.readAllBytes(good);
        assertBroken(original, b -> b.put(0, (byte) 'X'), "field 'magic'");
        assertBroken(original, b -> b.putInt(8, 2), "field 'version': 2 is not supported");
        assertBroken(original, b -> b.putInt(12, 7), "field 'dtype': 7");
        assertBroken(original, b -> b.putInt(16, 0), "field 'dim'");
        assertBroken(original, b -> b.putInt(20, 3), "field 'flags'");
        assertBroken(original, b -> b.putLong(24, 3), "field 'data'");
        assertBroken(original, b -> b.putLong(32, 1000), "field 'ids_bytes'");
        assertBroken(original, b -> b.putInt(40, 99), "field 'ids[0]'");
        assertBroken(original, b -> b.put(60, (byte) 1), "field 'padding'");
        assertBroken(original, b -> b.putFloat(64, Float.NaN), "field 'data': vector 0 (id doc-1) holds NaN");
        assertBroken(original, b -> b.putFloat(64, 2f), "field 'flags': flagged normalized but vector 0");
        assertBroken(java.util.Arrays.copyOf(original, original.length - 1), b -> {}, "field 'data': file has");
        assertBroken(java.util.Arrays.copyOf(original, 20), b -> {}, "shorter than the 40-byte header");
        // Issue 16: a corrupt count or ids_bytes once overflowed into sizes like -9223372036854763392.
        assertBroken(original, b -> b.putLong(24, Long.MAX_VALUE / 2), "field 'count': 4611686018427387903 vectors of");
        assertBroken(original, b -> b.putLong(24, -2), "field 'count': 18446744073709551614 vectors of");
        assertBroken(original, b -> b.putLong(32, Long.MAX_VALUE - 8), "field 'ids_bytes': 9223372036854775799 does not fit");
    }

    @Test
    void duplicateIdsAreNamed() throws IOException {
        Path file = dir.resolve("dup.vec");
        VectorFiles.write(file, DenseVectors.of(List.of("ab", "cd"), new float[][] {{1}, {2}}, false));
        byte[] bytes = Files.readAllBytes(file);
        bytes[44 + 2 + 4] = 'a';
        bytes[44 + 2 + 5] = 'b';
        Files.write(file, bytes);
        var error = assertThrows(VectorFormatException.class, () -> VectorFiles.read(file));
        assertTrue(error.getMessage().endsWith("field 'ids[1]': id \"ab\" appears twice"), error.getMessage());
    }

    @Test
    void aFailedWriteLeavesTheOldFile() throws IOException {
        Path file = dir.resolve("keep.vec");
        VectorFiles.write(file, SMALL);
        byte[] before = Files.readAllBytes(file);
        Path blocked = dir.resolve("blocked");
        Files.createDirectory(blocked);
        Files.writeString(blocked.resolve("x"), "");
        // A non-empty directory cannot be replaced by a rename: the write fails and removes its temporary file.
        assertThrows(RuntimeException.class, () -> VectorFiles.write(blocked, SMALL));
        try (var files = Files.list(dir)) {
            assertEquals(List.of("blocked", "keep.vec"), files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        assertArrayEquals(before, Files.readAllBytes(file));
    }

    private void assertBroken(byte[] original, java.util.function.Consumer<ByteBuffer> corrupt, String expected)
            throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(original.clone()).order(ByteOrder.LITTLE_ENDIAN);
        corrupt.accept(bytes);
        Path file = dir.resolve("broken.vec");
        Files.write(file, bytes.array());
        var error = assertThrows(VectorFormatException.class, () -> VectorFiles.read(file));
        assertTrue(error.getMessage().startsWith(file + ": "), error.getMessage());
        assertTrue(error.getMessage().contains(expected), error.getMessage());
    }
}
