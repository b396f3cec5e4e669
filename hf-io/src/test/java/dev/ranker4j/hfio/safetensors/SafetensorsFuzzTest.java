package dev.ranker4j.hfio.safetensors;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Random corruptions of a valid file: the reader must either refuse it with a {@link SafetensorsFormatException} or
 * accept it as a self-consistent file whose every tensor reads back exactly what the plain twin decodes from the
 * same bytes. Any other exception fails the property.
 */
class SafetensorsFuzzTest {
    private static final byte[] VALID = validFile();
    private static final int HEADER_END = 8 + (int) ByteBuffer.wrap(VALID).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
    /** Characters that keep an edited header close to JSON, so edits reach the semantic checks, not just the parser. */
    private static final String HEADER_ALPHABET = "{}[]\",:0123456789-.eE FIBU8_ ";

    private static byte[] validFile() {
        try {
            Path file = Files.createTempFile("fuzz-base", ".safetensors");
            SafetensorsWriter.write(file, Map.of("format", "pt"), SampleCheckpoints.everyDtype(3));
            byte[] bytes = Files.readAllBytes(file);
            Files.delete(file);
            return bytes;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** One way of damaging the file. */
    sealed interface Corruption {
        byte[] apply(byte[] file);
    }

    record BitFlip(int position, int bit) implements Corruption {
        public byte[] apply(byte[] file) {
            byte[] out = file.clone();
            if (out.length > 0) {
                out[position % out.length] ^= (byte) (1 << bit);
            }
            return out;
        }
    }

    record Truncate(int keep) implements Corruption {
        public byte[] apply(byte[] file) {
            return Arrays.copyOf(file, keep % (file.length + 1));
        }
    }

    record LengthField(long value) implements Corruption {
        public byte[] apply(byte[] file) {
            byte[] out = Arrays.copyOf(file, Math.max(8, file.length));
            ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).putLong(0, value);
            return out;
        }
    }

    record HeaderEdit(int position, char replacement) implements Corruption {
        public byte[] apply(byte[] file) {
            byte[] out = file.clone();
            int at = 8 + position % (HEADER_END - 8);
            if (at < out.length) {
                out[at] = (byte) replacement;
            }
            return out;
        }
    }

    /** Deletes or inserts one header character and fixes up the length field, so the header stays "well framed". */
    record HeaderShift(int position, char inserted, boolean delete) implements Corruption {
        public byte[] apply(byte[] file) {
            if (file.length < HEADER_END
                    || ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).getLong(0) != HEADER_END - 8) {
                return file; // an earlier corruption already broke the framing this one relies on
            }
            int headerLength = HEADER_END - 8;
            int at = 8 + position % headerLength;
            byte[] out = new byte[file.length + (delete ? -1 : 1)];
            System.arraycopy(file, 0, out, 0, at);
            if (delete) {
                System.arraycopy(file, at + 1, out, at, file.length - at - 1);
            } else {
                out[at] = (byte) inserted;
                System.arraycopy(file, at, out, at + 1, file.length - at);
            }
            ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).putLong(0, headerLength + (delete ? -1 : 1));
            return out;
        }
    }

    record AppendBytes(int count) implements Corruption {
        public byte[] apply(byte[] file) {
            return Arrays.copyOf(file, file.length + count);
        }
    }

    @Provide
    Arbitrary<Corruption> corruption() {
        Arbitrary<Integer> anywhere = Arbitraries.integers().between(0, VALID.length - 1);
        Arbitrary<Integer> inHeader = Arbitraries.integers().between(0, HEADER_END - 9);
        Arbitrary<Character> headerChar = Arbitraries.of(HEADER_ALPHABET.toCharArray());
        return Arbitraries.oneOf(
                anywhere.flatMap(p -> Arbitraries.integers().between(0, 7).map(b -> new BitFlip(p, b))),
                inHeader.flatMap(p -> Arbitraries.integers().between(0, 7).map(b -> new BitFlip(8 + p, b))),
                Arbitraries.integers().between(0, VALID.length).map(Truncate::new),
                Arbitraries.oneOf(Arbitraries.longs(),
                                Arbitraries.longs().between(-16, 16).map(d -> HEADER_END - 8 + d))
                        .map(LengthField::new),
                inHeader.flatMap(p -> headerChar.map(c -> new HeaderEdit(p, c))),
                inHeader.flatMap(p -> headerChar.flatMap(c -> Arbitraries.of(true, false)
                        .map(delete -> new HeaderShift(p, c, delete)))),
                Arbitraries.integers().between(1, 16).map(AppendBytes::new));
    }

    @Property(tries = 1000)
    void corruptedFilesAreRefusedCleanlyOrReadConsistently(
            @ForAll @Size(min = 1, max = 3) List<@net.jqwik.api.From("corruption") Corruption> corruptions)
            throws Exception {
        byte[] bytes = VALID;
        for (Corruption corruption : corruptions) {
            bytes = corruption.apply(bytes);
        }
        boolean accepted = checkReadsConsistentlyOrRefuses(bytes);
        net.jqwik.api.statistics.Statistics.collect(accepted ? "accepted" : "refused");
    }

    /** Flipping bits in tensor data (but not in the BOOL mask) yields a valid file: the reader is not over-strict. */
    @Property(tries = 300)
    void dataOnlyDamageStillOpens(@ForAll @IntRange(min = 0, max = 10_000) int offset, @ForAll @IntRange(max = 7) int bit)
            throws Exception {
        byte[] bytes = VALID.clone();
        int position = HEADER_END + offset % (VALID.length - HEADER_END);
        bytes[position] ^= (byte) (1 << bit);
        Path file = Files.createTempFile("fuzz", ".safetensors");
        try {
            Files.write(file, bytes);
            try (SafetensorsFile read = SafetensorsFile.open(file)) {
                assertEquals(19 - 7, read.names().size());
            } catch (SafetensorsFormatException e) {
                assertEquals(true, e.getMessage().contains("tensor 'bool': BOOL element"), e.getMessage());
            }
        } finally {
            Files.delete(file);
        }
    }

    /** True when the file was accepted (and then read consistently), false when it was refused cleanly. */
    private static boolean checkReadsConsistentlyOrRefuses(byte[] bytes) throws Exception {
        Path file = Files.createTempFile("fuzz", ".safetensors");
        try {
            Files.write(file, bytes);
            try (SafetensorsFile read = SafetensorsFile.open(file)) {
                Map<String, PlainSafetensors.Tensor> twin = PlainSafetensors.decode(bytes);
                assertEquals(twin.keySet(), read.names());
                long tensorBytes = 0;
                for (String name : read.names()) {
                    SafetensorsTensorInfo info = read.info(name);
                    PlainSafetensors.Tensor expected = twin.get(name);
                    assertEquals(expected.dtype(), info.dtype().name());
                    assertArrayEquals(expected.shape(), info.shape());
                    assertEquals(info.byteCount(), read.segment(name).byteSize());
                    read.segment(name).toArray(ValueLayout.JAVA_BYTE);
                    assertArrayEquals(expected.values(), read.readF64(name), name);
                    assertEquals(info.elementCount(), read.readF32(name).length);
                    if (!info.dtype().isFloatingPoint()) {
                        assertArrayEquals(expected.integers(), read.readI64(name), name);
                    }
                    tensorBytes += info.byteCount();
                }
                int headerLength = (int) ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
                assertEquals(bytes.length, 8 + headerLength + tensorBytes, "tensors tile the data section");
                return true;
            } catch (SafetensorsFormatException refused) {
                return false; // a clean refusal is the other acceptable outcome
            }
        } finally {
            Files.delete(file);
        }
    }
}
