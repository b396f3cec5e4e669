package dev.ranker4j.api;

import dev.ranker4j.transformer.testing.TinyBertDirectories;


import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The tiny model directories of {@link TinyBertDirectories} (1 layer, hidden 16) as the API's and the server's tests
 * use them, a sentence-transformers layout around one, and texts to batch. (The server's tests use them through this
 * module's test jar.)
 */
public final class TinyRankers {
    private TinyRankers() {}

    /** A BertModel directory: a dual encoder with mean pooling and no normalisation. */
    public static Path dualEncoder(Path dir) throws IOException {
        return TinyBertDirectories.sentenceEncoder(dir);
    }

    /** A BertForSequenceClassification directory. */
    public static Path crossEncoder(Path dir) throws IOException {
        return TinyBertDirectories.crossEncoder(dir);
    }

    /**
     * A sentence-transformers directory around {@link #dualEncoder}: CLS pooling and a Normalize module, so that what
     * the directory says shows in the vectors.
     */
    public static Path sentenceTransformers(Path dir) throws IOException {
        dualEncoder(dir);
        Files.writeString(dir.resolve("modules.json"), """
                [{"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
                 {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
                 {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"}]""");
        Files.createDirectories(dir.resolve("1_Pooling"));
        Files.writeString(dir.resolve("1_Pooling/config.json"), """
                {"word_embedding_dimension": 16, "pooling_mode_cls_token": true, "pooling_mode_mean_tokens": false}""");
        Files.createDirectories(dir.resolve("2_Normalize"));
        return dir;
    }

    /** Lowercase texts of 1 to 40 words, seeded, for batching and ordering tests. */
    public static List<String> texts(int count, long seed) {
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            StringBuilder text = new StringBuilder();
            int words = random.nextInt(1, 41);
            for (int w = 0; w < words; w++) {
                if (w > 0) text.append(' ');
                int letters = random.nextInt(1, 8);
                for (int l = 0; l < letters; l++) text.append((char) ('a' + random.nextInt(26)));
            }
            texts.add(text.toString());
        }
        return texts;
    }
}
