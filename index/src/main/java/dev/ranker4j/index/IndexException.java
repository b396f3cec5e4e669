package dev.ranker4j.index;

import java.nio.file.Path;

/**
 * An index directory that cannot be used: missing, foreign, corrupt, built with other settings than a search needs.
 * The message is one line and starts with the path it is about, e.g.
 * {@code runs/sf-bm25: not a ranker4j index (its commit has no ranker4j.kind)}.
 */
public final class IndexException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public IndexException(Path path, String problem) {
        super(path + ": " + problem);
    }

    public IndexException(Path path, String problem, Throwable cause) {
        super(path + ": " + problem, cause);
    }
}
