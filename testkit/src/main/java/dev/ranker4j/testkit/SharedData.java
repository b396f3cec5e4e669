package dev.ranker4j.testkit;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates the read-only reference data in {@code ../shared} (models, PyTorch dumps, tokenizer cases, evaluation data).
 *
 * <p>A fresh clone has no {@code ../shared}; tests that need it call {@link #require(String)}, which skips the test
 * with a message saying what is missing instead of failing it.
 */
public final class SharedData {
    private SharedData() {}

    /** The shared directory: system property {@code ranker4j.shared} (set by the build), else {@code ../shared}. */
    public static Path root() {
        String configured = System.getProperty("ranker4j.shared");
        Path root = configured != null ? Path.of(configured) : Path.of("..", "shared");
        return root.toAbsolutePath().normalize();
    }

    /** Path of {@code relative} inside the shared directory, or the calling test is skipped when it is absent. */
    public static Path require(String relative) {
        Path path = root().resolve(relative);
        if (!Files.exists(path)) {
            String reason = "skipped: needs " + path + " (the read-only ../shared reference data is not present)";
            // Surefire keeps assumption messages in its reports only; say it on the console too.
            System.err.println("[ranker4j] " + reason);
            Assumptions.abort(reason);
        }
        return path;
    }
}
