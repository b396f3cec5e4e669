package dev.ranker4j.files;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Writes a file so that readers see either the old content or the complete new content, never a partial one: the
 * bytes go to a temporary file in the same directory, are forced to disk, and the temporary file is renamed over the
 * target with {@link StandardCopyOption#ATOMIC_MOVE}. On any failure the temporary file is deleted and the existing
 * target is left untouched.
 *
 * <p>Used by every writer of the project: checkpoints and configs ({@code hf-io}), data formats, runs and vector
 * files ({@code ir}), trainer state ({@code training}). {@link #writeTextUnchecked} is the form for writers called
 * from streams, where a failure must surface as an unchecked exception naming the file.
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    /** Writes the content of a file through an open channel. */
    @FunctionalInterface
    public interface ChannelWriter {
        void writeTo(FileChannel channel) throws IOException;
    }

    /** Writes the content of a text file through a buffered UTF-8 writer (flushed, not closed, by the caller). */
    @FunctionalInterface
    public interface TextWriter {
        void writeTo(java.io.Writer out) throws IOException;
    }

    /** Atomically replaces (or creates) {@code target} with the UTF-8 text {@code writer} produces. */
    public static void writeText(Path target, TextWriter writer) throws IOException {
        write(target, channel -> {
            // Not closed here: closing would close the channel before write() forces it to disk.
            java.io.Writer out = new java.io.BufferedWriter(new java.io.OutputStreamWriter(
                    java.nio.channels.Channels.newOutputStream(channel), java.nio.charset.StandardCharsets.UTF_8),
                    1 << 16);
            writer.writeTo(out);
            out.flush();
        });
    }

    /**
     * {@link #writeText} for callers that cannot throw checked exceptions (writers used from streams): a failure
     * surfaces as an {@link UncheckedIOException} whose message names the file.
     */
    public static void writeTextUnchecked(Path target, TextWriter writer) {
        try {
            writeText(target, writer);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    /** Atomically replaces (or creates) {@code target} with {@code bytes}. */
    public static void write(Path target, byte[] bytes) throws IOException {
        write(target, channel -> writeFully(channel, java.nio.ByteBuffer.wrap(bytes)));
    }

    /** Atomically replaces (or creates) {@code target} with what {@code writer} writes. */
    public static void write(Path target, ChannelWriter writer) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path directory = absolute.getParent();
        Files.createDirectories(directory);
        Path temporary = Files.createTempFile(directory, "." + absolute.getFileName() + ".", ".tmp");
        try {
            keepUsualPermissions(temporary, absolute);
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                writer.writeTo(channel);
                channel.force(true);
            }
            try {
                Files.move(temporary, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("cannot write " + absolute + " atomically: the file system does not support"
                        + " atomic renames", e);
            }
        } catch (IOException | RuntimeException | Error e) {
            Files.deleteIfExists(temporary);
            throw e;
        }
    }

    /**
     * Temporary files are created readable by the owner only; give the new file the permissions of the file it
     * replaces, or {@code rw-r--r--} for a new one, like an ordinary write would.
     */
    private static void keepUsualPermissions(Path temporary, Path target) throws IOException {
        if (!Files.getFileStore(temporary).supportsFileAttributeView(PosixFileAttributeView.class)) {
            return;
        }
        Set<PosixFilePermission> permissions = Files.exists(target)
                ? Files.getPosixFilePermissions(target)
                : PosixFilePermissions.fromString("rw-r--r--");
        Files.setPosixFilePermissions(temporary, permissions);
    }

    /** Writes every remaining byte of {@code buffer} (a single channel write may write fewer). */
    public static void writeFully(FileChannel channel, java.nio.ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }
}
