package dev.ranker4j.training.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Path;

/**
 * Atomic text writes for the data formats: the mechanism is {@link dev.ranker4j.transformer.io.AtomicFiles} (temp
 * file in the same directory, forced to disk, renamed over the target; the old file survives any failure). The
 * formats' writers are used from streams, so here a failure surfaces as an unchecked exception naming the file.
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
        try {
            dev.ranker4j.transformer.io.AtomicFiles.writeText(target, body::write);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }
}
