package dev.ranker4j.training.data;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes files so that a reader never sees a half-written file and a failure never destroys the user's existing file:
 * the content goes to a temporary file in the same directory (same file system, so the rename is atomic), which is
 * then renamed over the target with {@code ATOMIC_MOVE}. On any failure the temporary file is deleted and the target
 * is left as it was.
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    /** The body of a write: receives a buffered UTF-8 writer on the temporary file. */
    @FunctionalInterface
    public interface WriterBody {
        void write(Writer out) throws IOException;
    }

    /** Writes {@code target} atomically as UTF-8 text produced by {@code body}. */
    public static void writeText(Path target, WriterBody body) {
        Path absolute = target.toAbsolutePath();
        Path directory = absolute.getParent();
        Path temp = null;
        try {
            Files.createDirectories(directory);
            temp = Files.createTempFile(directory, "." + absolute.getFileName() + ".", ".tmp");
            try (Writer out = new BufferedWriter(
                    new OutputStreamWriter(Files.newOutputStream(temp), StandardCharsets.UTF_8), 1 << 16)) {
                body.write(out);
            }
            moveIntoPlace(temp, absolute);
            temp = null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        } finally {
            if (temp != null) deleteQuietly(temp);
        }
    }

    private static void moveIntoPlace(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            // Cannot happen within one directory on POSIX file systems; say so rather than fall back silently.
            throw new IOException("the file system cannot rename atomically in " + target.getParent(), e);
        }
    }

    private static void deleteQuietly(Path temp) {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException ignored) {
            // The write already failed; that error is the one the user needs to see.
        }
    }
}
