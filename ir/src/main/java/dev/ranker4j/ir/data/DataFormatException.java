package dev.ranker4j.ir.data;

import java.nio.file.Path;

/**
 * A data file does not follow its format. The message always names the file and, where there is one, the line number
 * and the field, e.g. {@code run.txt:12: field 'score': "abc" is not a number}, so a user can open the file and fix it.
 */
public final class DataFormatException extends RuntimeException {
    private final transient Path file;
    private final long line;

    /** A problem at {@code line} (1-based; 0 when the problem is not tied to one line) of {@code file}. */
    public DataFormatException(Path file, long line, String message) {
        super(file + (line > 0 ? ":" + line : "") + ": " + message);
        this.file = file;
        this.line = line;
    }

    /** Same, keeping the low-level cause (an I/O or JSON error). */
    public DataFormatException(Path file, long line, String message, Throwable cause) {
        super(file + (line > 0 ? ":" + line : "") + ": " + message, cause);
        this.file = file;
        this.line = line;
    }

    /** The file that is malformed. */
    public Path file() {
        return file;
    }

    /** The 1-based line number of the problem, or 0 when it concerns the whole file. */
    public long line() {
        return line;
    }
}
