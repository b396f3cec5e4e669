package dev.ranker4j.hfio.config;

import java.io.IOException;
import java.nio.file.Path;

/** A {@code config.json} that cannot describe a supported model; the message names the file and the field. */
public final class ConfigException extends IOException {
    private final Path file;
    private final String field;

    public ConfigException(Path file, String field, String problem) {
        super(file + (field == null ? "" : ": field '" + field + "'") + ": " + problem);
        this.file = file;
        this.field = field;
    }

    public ConfigException(Path file, String field, String problem, Throwable cause) {
        this(file, field, problem);
        initCause(cause);
    }

    public Path file() {
        return file;
    }

    /** The JSON key at fault, or null when the problem is the whole file. */
    public String field() {
        return field;
    }
}
