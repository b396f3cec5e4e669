package dev.ranker4j.ir.retrieval;

import java.nio.file.Path;

/**
 * A vector file is not what {@link VectorFiles} writes. The message names the file and the header field or the
 * vector at fault, e.g. {@code docs.vec: field 'version': 7 is not supported (this reader knows 1)}.
 */
public final class VectorFormatException extends RuntimeException {
    public VectorFormatException(Path file, String field, String message) {
        super(file + ": field '" + field + "': " + message);
    }

    public VectorFormatException(Path file, String field, String message, Throwable cause) {
        super(file + ": field '" + field + "': " + message, cause);
    }
}
