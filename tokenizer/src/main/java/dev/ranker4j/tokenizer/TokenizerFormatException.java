package dev.ranker4j.tokenizer;

import java.nio.file.Path;

/**
 * A tokenizer file ({@code tokenizer.json}, {@code vocab.txt}, {@code tokenizer_config.json}) that cannot describe a
 * supported tokenizer. The message names the file and, where there is one, the JSON field or the line.
 */
public final class TokenizerFormatException extends IllegalArgumentException {
    private final transient Path file;

    public TokenizerFormatException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    public TokenizerFormatException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    /** The file at fault. */
    public Path file() {
        return file;
    }
}
