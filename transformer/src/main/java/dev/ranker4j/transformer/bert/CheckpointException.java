package dev.ranker4j.transformer.bert;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A model directory whose weights cannot be the model asked for: a weight stored with an integer dtype, a value that
 * is not finite, a shape or a layer count config.json does not describe, encoder weights the model would leave
 * unread, or a head that is missing. The message names the file (or directory) and the tensor.
 */
public final class CheckpointException extends IOException {
    private final transient Path file;

    public CheckpointException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    /** The checkpoint file or model directory at fault. */
    public Path file() {
        return file;
    }
}
