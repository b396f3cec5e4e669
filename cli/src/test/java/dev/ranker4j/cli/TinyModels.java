package dev.ranker4j.cli;

import dev.ranker4j.transformer.testing.TinyBertDirectories;


import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The tiny model directories of {@link TinyBertDirectories} (1 layer, hidden 16) and the data the CLI tests run them
 * on: the quickstart's sample and a first-stage run over it.
 */
final class TinyModels {
    private TinyModels() {}

    static Path sentenceEncoder(Path dir) throws IOException {
        return TinyBertDirectories.sentenceEncoder(dir);
    }

    static Path crossEncoder(Path dir) throws IOException {
        return TinyBertDirectories.crossEncoder(dir);
    }

    static Path colbert(Path dir) throws IOException {
        return TinyBertDirectories.colbert(dir);
    }

    /**
     * A TREC run over the built-in sample: each of its 10 queries retrieves passages p1..p36 in that order, scored
     * (37 − rank) / 36 (the samplers' target retriever, teacher and re-ranker in the tests).
     */
    static Path sampleRun(Path file) throws IOException {
        StringBuilder lines = new StringBuilder();
        for (int q = 1; q <= 10; q++) {
            for (int p = 1; p <= 36; p++) lines.append("q").append(q).append(" Q0 p").append(p).append(" ").append(p)
                    .append(" ").append((37 - p) / 36.0).append(" dense\n");
        }
        return Files.writeString(file, lines);
    }

    /** The quickstart's built-in BEIR sample, copied to {@code dir}. */
    static Path sample(Path dir) throws IOException {
        return QuickstartCommand.unpackSample(dir);
    }
}
