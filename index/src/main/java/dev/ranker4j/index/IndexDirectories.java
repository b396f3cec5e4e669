package dev.ranker4j.index;

import org.apache.lucene.index.CorruptIndexException;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexFormatTooNewException;
import org.apache.lucene.index.IndexFormatTooOldException;
import org.apache.lucene.index.IndexNotFoundException;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.store.FSDirectory;

import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Writing an index directory atomically, and opening one with one-line errors.
 *
 * <p><b>Writing.</b> An index is built in the sibling directory {@code NAME.partial} (a leftover from an interrupted
 * run is deleted first) and only a finished, committed index is renamed to {@code NAME}. An index already at
 * {@code NAME} is first renamed to {@code NAME.old}, then deleted once the new one is in place, so an interrupted run
 * never leaves a half-written index where a good one was: at worst {@code NAME} is missing for the instant between
 * the two renames and the previous index sits at {@code NAME.old}. A directory at {@code NAME} that is not a Lucene
 * index (and not empty) is never replaced.
 *
 * <p><b>Opening.</b> {@link #open} turns everything Lucene can throw at a bad directory into an {@link IndexException}
 * naming the directory (and, in Lucene's words, the file), and by default verifies every file's checksum.
 */
public final class IndexDirectories {
    private IndexDirectories() {}

    /** Builds an index into the directory it is given. */
    @FunctionalInterface
    public interface Builder<T> {
        T build(Path directory) throws IOException;
    }

    /** The directory an index for {@code output} is built in. */
    public static Path partialDirectory(Path output) {
        return sibling(output, ".partial");
    }

    /** Builds an index with {@code builder} and moves it to {@code output} as described in the class comment. */
    public static <T> T writeAtomically(Path output, Builder<T> builder) {
        Path target = output.toAbsolutePath().normalize();
        Path partial = partialDirectory(target);
        Path old = sibling(target, ".old");
        try {
            refuseToReplaceNonIndex(output, target);
            Files.createDirectories(target.getParent());
            deleteRecursively(partial);
            Files.createDirectory(partial);
            T result;
            try {
                result = builder.build(partial);
            } catch (IOException | RuntimeException | Error e) {
                deleteQuietly(partial);
                throw e;
            }
            if (Files.exists(target)) {
                deleteRecursively(old);
                Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
                Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
                deleteRecursively(old);
            } else {
                Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            }
            syncDirectory(target.getParent());
            return result;
        } catch (IOException e) {
            throw new IndexException(output, "writing the index failed: " + oneLine(e), e);
        }
    }

    private static void refuseToReplaceNonIndex(Path output, Path target) throws IOException {
        if (!Files.exists(target)) return;
        if (!Files.isDirectory(target)) throw new IndexException(output, "exists and is not a directory");
        try (Stream<Path> files = Files.list(target)) {
            boolean empty = true, lucene = false;
            for (Path file : (Iterable<Path>) files::iterator) {
                empty = false;
                if (file.getFileName().toString().startsWith("segments_")) lucene = true;
            }
            if (!empty && !lucene) {
                throw new IndexException(output, "exists and is not an index; remove it or choose another --output");
            }
        }
    }

    /** An opened index: its reader and metadata. Closing closes the reader and its directory (idempotent). */
    public record Opened(Path path, DirectoryReader reader, IndexMetadata metadata) implements AutoCloseable {
        @Override
        public void close() {
            try {
                reader.close();
                reader.directory().close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * Opens the index in {@code dir} and reads its metadata. With {@code verify}, every file's checksum is checked
     * first (reads the whole index once; a search then never meets a corrupt block half way).
     */
    public static Opened open(Path dir, boolean verify) {
        if (!Files.isDirectory(dir)) {
            Path old = sibling(dir.toAbsolutePath().normalize(), ".old");
            throw new IndexException(dir, Files.exists(dir) ? "not a directory" : "no such index directory"
                    + (Files.isDirectory(old) ? " (an interrupted ranker4j index left the previous one at " + old + ")"
                    : ""));
        }
        DirectoryReader reader;
        FSDirectory directory = null;
        try {
            directory = FSDirectory.open(dir);
            reader = DirectoryReader.open(directory);
        } catch (IOException | RuntimeException e) {
            if (directory != null) closeQuietly(directory);
            throw readFailure(dir, e);
        }
        try {
            IndexMetadata metadata = IndexMetadata.fromUserData(dir, reader.getIndexCommit().getUserData());
            if (verify) {
                for (LeafReaderContext leaf : reader.leaves()) leaf.reader().checkIntegrity();
            }
            return new Opened(dir, reader, metadata);
        } catch (IOException | RuntimeException e) {
            closeQuietly(reader);
            closeQuietly(directory);
            throw e instanceof IndexException index ? index : readFailure(dir, e);
        }
    }

    /** The one-line error for an exception Lucene threw while reading the index in {@code dir}. */
    static IndexException readFailure(Path dir, Exception e) {
        String message = oneLine(e);
        return new IndexException(dir, switch (e) {
            case IndexNotFoundException ignored -> "not a Lucene index (no segments_N file); build one with ranker4j index";
            case CorruptIndexException ignored -> "corrupt index: " + message;
            case IndexFormatTooOldException ignored -> "written by an incompatible Lucene version: " + message;
            case IndexFormatTooNewException ignored -> "written by an incompatible Lucene version: " + message;
            case EOFException ignored -> "corrupt index (a file ends early): " + message;
            case NoSuchFileException ignored -> "incomplete index (a file is missing): " + message;
            case FileNotFoundException ignored -> "incomplete index (a file is missing): " + message;
            case IOException ignored -> "cannot read the index: " + message;
            default -> "cannot read the index: " + e.getClass().getSimpleName() + ": " + message;
        }, e);
    }

    static String oneLine(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }

    private static Path sibling(Path path, String suffix) {
        Path absolute = path.toAbsolutePath().normalize();
        return absolute.resolveSibling(absolute.getFileName() + suffix);
    }

    static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) return;
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) Files.delete(p);
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            deleteRecursively(path);
        } catch (IOException ignored) {
            // the next run deletes a leftover .partial before building
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // already failing
        }
    }

    /** Makes the renames durable (a directory's entries are synced through a read-only channel on Linux and macOS). */
    private static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException ignored) {
            // not supported on every platform; the rename itself is atomic
        }
    }
}
