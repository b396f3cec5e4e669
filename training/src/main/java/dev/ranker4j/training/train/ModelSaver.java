package dev.ranker4j.training.train;

import java.io.IOException;
import java.nio.file.Path;

/** Writes the trained model(s) in their Hugging Face layout into a directory (which exists and is empty). */
@FunctionalInterface
public interface ModelSaver {
    void save(Path directory) throws IOException;
}
