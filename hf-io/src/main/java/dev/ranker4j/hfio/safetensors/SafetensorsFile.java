package dev.ranker4j.hfio.safetensors;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A safetensors checkpoint opened for reading: one file, or the shards of a sharded checkpoint presented as one set
 * of named tensors.
 *
 * <p>Files are memory-mapped; {@link #open} parses and validates every header (see {@code docs/CHECKPOINTS.md}) and
 * reads no tensor data, so each read below only copies (and converts) the bytes of the tensor asked for. After a
 * successful open no read can fail because of the file's content; the read methods throw
 * {@link IllegalArgumentException} only for an unknown name, a conversion the caller should not want (floats to
 * integers) or a tensor too big for a Java array.
 *
 * <p>Safe for concurrent reads from several threads. {@link #close()} unmaps the files: segments obtained from
 * {@link #segment} must not be used afterwards (access then throws {@link IllegalStateException}).
 */
public final class SafetensorsFile implements AutoCloseable {
    /** Name of a single-file checkpoint inside a model directory. */
    public static final String SINGLE_FILE_NAME = "model.safetensors";
    /** Name of a sharded checkpoint's index inside a model directory. */
    public static final String INDEX_FILE_NAME = ShardIndex.FILE_NAME;

    private record Located(MappedSafetensors file, SafetensorsHeader.Slot slot) {}

    private final Path source;
    private final List<MappedSafetensors> files;
    private final Map<String, Located> tensors;
    private final Map<String, String> metadata;
    private volatile boolean closed;

    private SafetensorsFile(Path source, List<MappedSafetensors> files, Map<String, Located> tensors,
                            Map<String, String> metadata) {
        this.source = source;
        this.files = files;
        this.tensors = tensors;
        this.metadata = metadata;
    }

    /**
     * Opens {@code path}: a {@code .safetensors} file; a sharded checkpoint's {@code *.index.json}; or a model
     * directory holding {@code model.safetensors} or, failing that, {@code model.safetensors.index.json}.
     *
     * @throws SafetensorsFormatException when a file breaks the format, a shard is missing, or the index and the
     *                                    shards disagree
     */
    public static SafetensorsFile open(Path path) throws IOException {
        if (Files.isDirectory(path)) {
            Path single = path.resolve(SINGLE_FILE_NAME);
            Path index = path.resolve(INDEX_FILE_NAME);
            if (Files.exists(single)) {
                return openSingle(single);
            }
            if (Files.exists(index)) {
                return openSharded(index);
            }
            throw new java.nio.file.NoSuchFileException(path.toString(), null,
                    "directory holds neither " + SINGLE_FILE_NAME + " nor " + INDEX_FILE_NAME);
        }
        if (path.getFileName() != null && path.getFileName().toString().endsWith(".index.json")) {
            return openSharded(path);
        }
        return openSingle(path);
    }

    private static SafetensorsFile openSingle(Path file) throws IOException {
        MappedSafetensors mapped = MappedSafetensors.open(file);
        Map<String, Located> tensors = new LinkedHashMap<>();
        mapped.tensors().forEach((name, slot) -> tensors.put(name, new Located(mapped, slot)));
        return new SafetensorsFile(file, List.of(mapped), Collections.unmodifiableMap(tensors), mapped.metadata());
    }

    private static SafetensorsFile openSharded(Path indexFile) throws IOException {
        ShardIndex index = ShardIndex.read(indexFile);
        List<MappedSafetensors> opened = new ArrayList<>();
        try {
            Map<Path, MappedSafetensors> byPath = new LinkedHashMap<>();
            for (Path shard : index.shardFiles()) {
                if (!Files.isRegularFile(shard)) {
                    throw new SafetensorsFormatException(indexFile, "shard '" + shard.getFileName()
                            + "' listed in weight_map does not exist (" + shard + ")");
                }
                MappedSafetensors mapped = MappedSafetensors.open(shard);
                opened.add(mapped);
                byPath.put(shard, mapped);
            }
            Map<String, Located> tensors = new LinkedHashMap<>();
            for (Map.Entry<String, Path> entry : index.weightMap().entrySet()) {
                MappedSafetensors shard = byPath.get(entry.getValue());
                SafetensorsHeader.Slot slot = shard.tensors().get(entry.getKey());
                if (slot == null) {
                    throw new SafetensorsFormatException(indexFile, "tensor '" + entry.getKey() + "' is listed in"
                            + " weight_map under shard '" + shard.file().getFileName() + "' but that shard has no"
                            + " such tensor");
                }
                tensors.put(entry.getKey(), new Located(shard, slot));
            }
            for (MappedSafetensors shard : opened) {
                for (String name : shard.tensors().keySet()) {
                    if (!shard.file().equals(index.weightMap().get(name))) {
                        throw new SafetensorsFormatException(indexFile, "shard '" + shard.file().getFileName()
                                + "' holds tensor '" + name + "' which weight_map "
                                + (index.weightMap().containsKey(name)
                                        ? "assigns to shard '" + index.weightMap().get(name).getFileName() + "'"
                                        : "does not list"));
                    }
                }
            }
            Map<String, String> metadata = new LinkedHashMap<>();
            for (MappedSafetensors shard : opened) {
                shard.metadata().forEach(metadata::putIfAbsent);
            }
            metadata.putAll(index.metadata());
            return new SafetensorsFile(indexFile, List.copyOf(opened), Collections.unmodifiableMap(tensors),
                    Collections.unmodifiableMap(metadata));
        } catch (IOException | RuntimeException | Error e) {
            opened.forEach(MappedSafetensors::close);
            throw e;
        }
    }

    /** The path this checkpoint was opened from. */
    public Path source() {
        return source;
    }

    /** Tensor names in header order (for a sharded checkpoint: the index's weight_map order). */
    public Set<String> names() {
        return tensors.keySet();
    }

    /** True when a tensor of that name exists. */
    public boolean contains(String name) {
        return tensors.containsKey(name);
    }

    /** Name, dtype and shape of a tensor. */
    public SafetensorsTensorInfo info(String name) {
        return locate(name).slot().info();
    }

    /**
     * The {@code __metadata__} string map; for a sharded checkpoint the shards' metadata (first shard wins on a
     * conflict) overlaid with the index's {@code metadata} object, its values rendered as text.
     */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** The tensor as floats: F16 and BF16 widen exactly, F64 narrows rounding to nearest even, integers convert. */
    public float[] readF32(String name) {
        Located located = locate(name);
        return TensorDecoding.toFloats(bytes(located), located.slot().info().dtype(), arrayLength(located));
    }

    /** The tensor as doubles; exact for every floating dtype and for integers up to 2^53 in magnitude. */
    public double[] readF64(String name) {
        Located located = locate(name);
        return TensorDecoding.toDoubles(bytes(located), located.slot().info().dtype(), arrayLength(located));
    }

    /** An integer (or BOOL, as 0/1) tensor as longs; a floating-point tensor is refused. */
    public long[] readI64(String name) {
        Located located = locate(name);
        requireInteger(located, "readI64");
        return TensorDecoding.toLongs(bytes(located), located.slot().info().dtype(), arrayLength(located));
    }

    /**
     * An integer (or BOOL, as 0/1) tensor as ints; a floating-point tensor is refused, and an I64 value outside the
     * int range throws {@link ArithmeticException} naming the element.
     */
    public int[] readI32(String name) {
        Located located = locate(name);
        requireInteger(located, "readI32");
        return TensorDecoding.toInts(bytes(located), located.slot().info().dtype(), arrayLength(located), name);
    }

    /**
     * The raw little-endian bytes of a tensor, zero-copy and read-only. Offsets inside a file need not be aligned
     * to the element size, so read it with the {@code *_UNALIGNED} layouts in little-endian order.
     */
    public MemorySegment segment(String name) {
        return bytes(locate(name));
    }

    /** Unmaps every file. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        files.forEach(MappedSafetensors::close);
    }

    @Override
    public String toString() {
        return "SafetensorsFile[" + source + ", " + tensors.size() + " tensors in " + files.size() + " file(s)]";
    }

    private Located locate(String name) {
        if (closed) {
            throw new IllegalStateException(source + " is closed");
        }
        Located located = tensors.get(name);
        if (located == null) {
            throw new IllegalArgumentException("no tensor named '" + name + "' in " + source + " ("
                    + tensors.size() + " tensors)");
        }
        return located;
    }

    private static MemorySegment bytes(Located located) {
        return located.file().bytes(located.slot());
    }

    private int arrayLength(Located located) {
        long count = located.slot().info().elementCount();
        if (count > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("tensor '" + located.slot().info().name() + "' has " + count
                    + " elements, more than a Java array holds; use segment() in " + source);
        }
        return (int) count;
    }

    private void requireInteger(Located located, String method) {
        SafetensorsDtype dtype = located.slot().info().dtype();
        if (dtype.isFloatingPoint()) {
            throw new IllegalArgumentException(method + ": tensor '" + located.slot().info().name() + "' in " + source
                    + " is " + dtype + ", not an integer dtype; use readF32 or readF64");
        }
    }
}
