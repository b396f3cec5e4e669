package dev.ranker4j.hfio.safetensors;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A safetensors file (or a sharded checkpoint's index) that breaks the format: the message names the file and, where
 * there is one, the tensor or header field at fault.
 */
public final class SafetensorsFormatException extends IOException {
    private final Path file;

    public SafetensorsFormatException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    public SafetensorsFormatException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    /** The file the problem was found in. */
    public Path file() {
        return file;
    }
}
