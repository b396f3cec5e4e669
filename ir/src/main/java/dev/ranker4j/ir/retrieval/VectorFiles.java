package dev.ranker4j.ir.retrieval;

import dev.ranker4j.files.AtomicFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads and writes {@link DenseVectors} in ranker4j's vector file format (docs/VECTORS.md). All numbers are
 * little-endian:
 * <pre>
 *   offset  size  field
 *   0       8     magic       ASCII "R4JVECTR"
 *   8       4     version     uint32, 1
 *   12      4     dtype       uint32, 1 = float32 (the only one so far)
 *   16      4     dim         uint32, floats per vector, &gt; 0
 *   20      4     flags       uint32, bit 0 = normalized (every vector has unit L2 norm); other bits 0
 *   24      8     count       uint64, number of vectors
 *   32      8     ids_bytes   uint64, length of the id section
 *   40      ids_bytes         count x (uint32 byte length, that many UTF-8 bytes), one unique non-empty id per vector
 *   ...     0-63  padding     zero bytes up to the next multiple of 64 (so the data can be mapped aligned)
 *   data    count*dim*4       float32 vectors, row-major, vector i = the i-th id
 * </pre>
 * The file ends exactly after the data. The reader checks every field, the padding, the length, that ids are unique
 * and valid UTF-8, that values are finite, and that a file flagged normalized has unit-norm vectors (within 1e-3).
 */
public final class VectorFiles {
    /** The first 8 bytes of every vector file. */
    public static final byte[] MAGIC = "R4JVECTR".getBytes(StandardCharsets.US_ASCII);
    public static final int VERSION = 1;
    public static final int DTYPE_FLOAT32 = 1;
    static final int FLAG_NORMALIZED = 1;
    static final int HEADER_BYTES = 40;
    static final int ALIGNMENT = 64;
    private static final double NORM_TOLERANCE = 1e-3;

    private VectorFiles() {}

    /** Writes {@code vectors} to {@code file} atomically (temporary file, then rename). */
    public static void write(Path file, DenseVectors vectors) {
        byte[][] ids = new byte[vectors.size()][];
        long idsBytes = 0;
        for (int i = 0; i < ids.length; i++) {
            ids[i] = vectors.ids().get(i).getBytes(StandardCharsets.UTF_8);
            idsBytes += 4 + ids[i].length;
        }
        long dataOffset = align(HEADER_BYTES + idsBytes);
        ByteBuffer head = ByteBuffer.allocate(Math.toIntExact(dataOffset)).order(ByteOrder.LITTLE_ENDIAN);
        head.put(MAGIC).putInt(VERSION).putInt(DTYPE_FLOAT32).putInt(vectors.dimension())
                .putInt(vectors.normalized() ? FLAG_NORMALIZED : 0).putLong(vectors.size()).putLong(idsBytes);
        for (byte[] id : ids) head.putInt(id.length).put(id);
        head.position(head.capacity()).flip(); // the rest of the buffer is the zero padding
        try {
            AtomicFiles.write(file, channel -> {
                AtomicFiles.writeFully(channel, head);
                float[] data = vectors.data();
                ByteBuffer chunk = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
                for (int start = 0; start < data.length; start += chunk.capacity() / 4) {
                    int n = Math.min(chunk.capacity() / 4, data.length - start);
                    chunk.clear();
                    chunk.asFloatBuffer().put(data, start, n);
                    chunk.limit(n * 4);
                    AtomicFiles.writeFully(channel, chunk);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads and validates a vector file. */
    public static DenseVectors read(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return read(file, channel);
        } catch (NoSuchFileException e) {
            throw new UncheckedIOException(file + ": no such file", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static DenseVectors read(Path file, FileChannel channel) throws IOException {
        long size = channel.size();
        if (size < HEADER_BYTES) {
            throw new VectorFormatException(file, "magic", "file has " + size + " bytes, shorter than the "
                    + HEADER_BYTES + "-byte header");
        }
        ByteBuffer header = readExactly(channel, 0, HEADER_BYTES);
        byte[] magic = new byte[MAGIC.length];
        header.get(magic);
        if (!java.util.Arrays.equals(magic, MAGIC)) {
            throw new VectorFormatException(file, "magic", "not a ranker4j vector file (expected \"R4JVECTR\")");
        }
        int version = header.getInt();
        if (version != VERSION) {
            throw new VectorFormatException(file, "version", Integer.toUnsignedString(version)
                    + " is not supported (this reader knows " + VERSION + ")");
        }
        int dtype = header.getInt();
        if (dtype != DTYPE_FLOAT32) {
            throw new VectorFormatException(file, "dtype", Integer.toUnsignedString(dtype)
                    + " is not supported (1 = float32)");
        }
        int dimension = header.getInt();
        if (dimension <= 0) {
            throw new VectorFormatException(file, "dim", Integer.toUnsignedString(dimension) + " is not a positive"
                    + " dimension");
        }
        int flags = header.getInt();
        if ((flags & ~FLAG_NORMALIZED) != 0) {
            throw new VectorFormatException(file, "flags", "unknown bits set in 0x" + Integer.toHexString(flags));
        }
        long count = header.getLong();
        // Compared by division: count * dimension could overflow a long for a corrupt count.
        if (count < 0 || count > (Integer.MAX_VALUE - 8) / dimension) {
            throw new VectorFormatException(file, "count", Long.toUnsignedString(count) + " vectors of " + dimension
                    + " floats do not fit one Java array");
        }
        long idsBytes = header.getLong();
        if (idsBytes < 4 * count || idsBytes > size - HEADER_BYTES || idsBytes > Integer.MAX_VALUE - ALIGNMENT) {
            throw new VectorFormatException(file, "ids_bytes", Long.toUnsignedString(idsBytes)
                    + " does not fit " + count + " ids in a file of " + size + " bytes");
        }
        long dataOffset = align(HEADER_BYTES + idsBytes);
        long expected = dataOffset + count * dimension * 4L;
        if (size != expected) {
            throw new VectorFormatException(file, "data", "file has " + size + " bytes; the header describes "
                    + expected + " (" + count + " vectors of " + dimension + " float32)");
        }
        List<String> ids = readIds(file, readExactly(channel, HEADER_BYTES, Math.toIntExact(dataOffset - HEADER_BYTES)),
                (int) count, idsBytes);
        float[] data = new float[(int) (count * dimension)];
        ByteBuffer chunk = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        long position = dataOffset;
        for (int start = 0; start < data.length; ) {
            int n = Math.min(chunk.capacity() / 4, data.length - start);
            chunk.clear().limit(n * 4);
            readFully(channel, chunk, position);
            chunk.flip();
            chunk.asFloatBuffer().get(data, start, n);
            start += n;
            position += n * 4L;
        }
        boolean normalized = (flags & FLAG_NORMALIZED) != 0;
        checkValues(file, ids, dimension, normalized, data);
        return new DenseVectors(ids, dimension, normalized, data);
    }

    private static List<String> readIds(Path file, ByteBuffer section, int count, long idsBytes) {
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        List<String> ids = new ArrayList<>(count);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < count; i++) {
            String field = "ids[" + i + "]";
            if (section.position() + 4 > idsBytes) throw new VectorFormatException(file, field, "runs past ids_bytes");
            int length = section.getInt();
            if (length <= 0 || section.position() + (long) length > idsBytes) {
                throw new VectorFormatException(file, field, "length " + Integer.toUnsignedString(length)
                        + " is empty or runs past ids_bytes");
            }
            ByteBuffer bytes = section.slice(section.position(), length);
            section.position(section.position() + length);
            String id;
            try {
                id = decoder.decode(bytes).toString();
            } catch (CharacterCodingException e) {
                throw new VectorFormatException(file, field, "not valid UTF-8", e);
            }
            if (!seen.add(id)) throw new VectorFormatException(file, field, "id \"" + id + "\" appears twice");
            ids.add(id);
        }
        if (section.position() != idsBytes) {
            throw new VectorFormatException(file, "ids_bytes", idsBytes + " bytes declared but the " + count
                    + " ids take " + section.position());
        }
        while (section.hasRemaining()) {
            if (section.get() != 0) throw new VectorFormatException(file, "padding", "non-zero byte before the data");
        }
        return ids;
    }

    private static void checkValues(Path file, List<String> ids, int dimension, boolean normalized, float[] data) {
        for (int i = 0; i < ids.size(); i++) {
            double squares = 0;
            for (int j = i * dimension; j < (i + 1) * dimension; j++) {
                if (!Float.isFinite(data[j])) {
                    throw new VectorFormatException(file, "data", "vector " + i + " (id " + ids.get(i) + ") holds "
                            + data[j]);
                }
                squares += (double) data[j] * data[j];
            }
            if (normalized && Math.abs(Math.sqrt(squares) - 1) > NORM_TOLERANCE) {
                throw new VectorFormatException(file, "flags", "flagged normalized but vector " + i + " (id "
                        + ids.get(i) + ") has norm " + Math.sqrt(squares));
            }
        }
    }

    private static ByteBuffer readExactly(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        readFully(channel, buffer, position);
        return buffer.flip();
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        while (buffer.hasRemaining()) {
            int read = channel.read(buffer, position);
            if (read < 0) throw new IOException("unexpected end of file at byte " + position);
            position += read;
        }
    }

    private static long align(long offset) {
        return (offset + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
    }
}
