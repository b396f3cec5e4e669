package dev.ranker4j.spark;

import dev.ranker4j.transformer.testing.TinyBertDirectories;


import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * The tiny model directories of {@link TinyBertDirectories} (1 layer, hidden 16) and a small random BEIR corpus, so
 * the Spark jobs run in local mode in seconds.
 */
final class TinyModels {
    private TinyModels() {}

    static Path sentenceEncoder(Path dir) throws IOException {
        return TinyBertDirectories.sentenceEncoder(dir);
    }

    static Path crossEncoder(Path dir) throws IOException {
        return TinyBertDirectories.crossEncoder(dir);
    }

    /** {@code documents} BEIR documents of 1..60 random words (many share a length), ids d0, d1, ... */
    static Path corpus(Path file, int documents, long seed) throws IOException {
        Random random = new Random(seed);
        StringBuilder lines = new StringBuilder();
        for (int d = 0; d < documents; d++) {
            lines.append("{\"_id\": \"d").append(d).append("\", \"title\": \"").append(words(random, 1 + random.nextInt(3)))
                    .append("\", \"text\": \"").append(words(random, 1 + random.nextInt(60))).append("\"}\n");
            if (d == documents / 2) lines.append("\n"); // a blank line, skipped as the single-machine readers skip it
        }
        return Files.writeString(file, lines);
    }

    /** {@code queries} BEIR queries q0, q1, ... of 1..8 words. */
    static Path queries(Path file, int queries, long seed) throws IOException {
        Random random = new Random(seed);
        StringBuilder lines = new StringBuilder();
        for (int q = 0; q < queries; q++) {
            lines.append("{\"_id\": \"q").append(q).append("\", \"text\": \"").append(words(random, 1 + random.nextInt(8)))
                    .append("\"}\n");
        }
        return Files.writeString(file, lines);
    }

    private static String words(Random random, int count) {
        StringBuilder text = new StringBuilder();
        for (int w = 0; w < count; w++) {
            if (w > 0) text.append(' ');
            int length = 2 + random.nextInt(4);
            for (int c = 0; c < length; c++) text.append((char) ('a' + random.nextInt(8)));
        }
        return text.toString();
    }
}
