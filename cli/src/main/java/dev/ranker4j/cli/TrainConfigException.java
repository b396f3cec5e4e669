package dev.ranker4j.cli;

import java.nio.file.Path;

/**
 * A {@code train} config that cannot be trained as written. The message names the file, the dotted field and the
 * value: {@code train config run.json: field 'optimizer.lr' must be a finite number > 0, got 1E+999}.
 */
final class TrainConfigException extends IllegalArgumentException {
    private final transient Path file;
    private final String field;

    TrainConfigException(Path file, String field, String problem) {
        super("train config " + file + (field == null ? "" : ": field '" + field + "'") + " " + problem);
        this.file = file;
        this.field = field;
    }

    Path file() {
        return file;
    }

    /** The dotted field at fault, or null when the problem is the whole file. */
    String field() {
        return field;
    }
}
