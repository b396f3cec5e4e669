package dev.ranker4j.hfio.safetensors;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One safetensors file, memory-mapped read-only and validated. Tensor bytes are not touched until asked for, so
 * opening a multi-gigabyte file costs one header parse; the mapping is a {@link MemorySegment} addressed with 64-bit
 * offsets, so files beyond 2 GB need nothing special.
 *
 * <p>The mapping lives in a shared {@link Arena} (readable from any thread) that {@link #close()} releases; segments
 * handed out earlier become inaccessible then.
 */
final class MappedSafetensors implements AutoCloseable {
    private final Path file;
    private final Arena arena;
    private final MemorySegment data;
    private final Map<String, String> metadata;
    private final Map<String, SafetensorsHeader.Slot> tensors;

    private MappedSafetensors(Path file, Arena arena, MemorySegment data, SafetensorsHeader.Parsed header) {
        this.file = file;
        this.arena = arena;
        this.data = data;
        this.metadata = header.metadata();
        this.tensors = new LinkedHashMap<>();
        for (SafetensorsHeader.Slot slot : header.tensors()) {
            tensors.put(slot.info().name(), slot);
        }
    }

    /** Maps and validates {@code file}; a {@link SafetensorsFormatException} says what is wrong with it. */
    static MappedSafetensors open(Path file) throws IOException {
        Arena arena = Arena.ofShared();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long fileBytes = channel.size();
            if (fileBytes < Long.BYTES) {
                throw new SafetensorsFormatException(file, "truncated: " + fileBytes
                        + " bytes, too short for the 8-byte header length");
            }
            MemorySegment whole = channel.map(FileChannel.MapMode.READ_ONLY, 0, fileBytes, arena);
            long headerBytes = whole.get(TensorDecoding.I64, 0); // u64: a negative long is a huge value
            if (headerBytes < 0 || headerBytes > fileBytes - Long.BYTES) {
                throw new SafetensorsFormatException(file, "header length " + Long.toUnsignedString(headerBytes)
                        + " goes beyond the end of the file (" + fileBytes + " bytes): truncated or corrupt");
            }
            if (headerBytes > SafetensorsHeader.MAX_HEADER_BYTES) {
                throw new SafetensorsFormatException(file, "header length " + headerBytes + " exceeds the "
                        + SafetensorsHeader.MAX_HEADER_BYTES + "-byte limit of the format");
            }
            byte[] header = whole.asSlice(Long.BYTES, headerBytes).toArray(ValueLayout.JAVA_BYTE);
            long dataStart = Long.BYTES + headerBytes;
            MemorySegment data = whole.asSlice(dataStart);
            SafetensorsHeader.Parsed parsed = SafetensorsHeader.parse(file, header, data.byteSize());
            checkBooleans(file, parsed, data);
            return new MappedSafetensors(file, arena, data, parsed);
        } catch (IOException | RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    /**
     * A BOOL byte other than 0 or 1 has no meaning; reject it at open time so that reads never fail later.
     * Boolean tensors are masks, small next to the weights, so the scan is cheap.
     */
    private static void checkBooleans(Path file, SafetensorsHeader.Parsed parsed, MemorySegment data)
            throws SafetensorsFormatException {
        for (SafetensorsHeader.Slot slot : parsed.tensors()) {
            if (slot.info().dtype() != SafetensorsDtype.BOOL) {
                continue;
            }
            for (long at = slot.begin(); at < slot.end(); at++) {
                byte value = data.get(ValueLayout.JAVA_BYTE, at);
                if (value != 0 && value != 1) {
                    throw new SafetensorsFormatException(file, "tensor '" + slot.info().name() + "': BOOL element "
                            + (at - slot.begin()) + " is " + Byte.toUnsignedInt(value) + ", not 0 or 1");
                }
            }
        }
    }

    Path file() {
        return file;
    }

    Map<String, String> metadata() {
        return metadata;
    }

    /** Name to slot, in header order. */
    Map<String, SafetensorsHeader.Slot> tensors() {
        return tensors;
    }

    /** The bytes of one tensor of this file (read-only, zero-copy). */
    MemorySegment bytes(SafetensorsHeader.Slot slot) {
        return data.asSlice(slot.begin(), slot.end() - slot.begin());
    }

    @Override
    public void close() {
        arena.close();
    }
}
