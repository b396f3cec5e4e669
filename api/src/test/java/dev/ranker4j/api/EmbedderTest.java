package dev.ranker4j.api;

import dev.ranker4j.transformer.bert.SentenceEncoder;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Embedder: pooling and normalisation from the directory, options, batching, and the real MiniLM's vectors. */
class EmbedderTest {
    @TempDir
    static Path dir;
    static Path plain;
    static Path sentenceTransformers;

    @BeforeAll
    static void models() throws Exception {
        plain = TinyRankers.dualEncoder(Files.createDirectory(dir.resolve("plain")));
        sentenceTransformers = TinyRankers.sentenceTransformers(Files.createDirectory(dir.resolve("st")));
    }

    @Test
    void poolingAndNormalisationComeFromTheDirectory() throws Exception {
        try (Embedder mean = Embedder.load(plain); Embedder cls = Embedder.load(sentenceTransformers)) {
            assertEquals("mean", mean.info().pooling());
            assertFalse(mean.info().normalizes());
            assertEquals("cls", cls.info().pooling());
            assertTrue(cls.info().normalizes());
            assertEquals(16, cls.dimension());
            float[] unit = cls.embed("plants need light");
            assertEquals(1.0, norm(unit), 1e-5);
            assertTrue(Math.abs(norm(mean.embed("plants need light")) - 1) > 1e-3, "mean pooling, not normalised");
        }
    }

    @Test
    void theNormalizeOptionOverridesTheDirectory() throws Exception {
        try (Embedder on = Embedder.load(plain, EmbedderOptions.defaults().withNormalize(true));
             Embedder off = Embedder.load(sentenceTransformers, EmbedderOptions.defaults().withNormalize(false));
             Embedder raw = Embedder.load(plain)) {
            float[] v = raw.embed("plants need light");
            float[] u = on.embed("plants need light");
            double n = norm(v);
            for (int i = 0; i < v.length; i++) assertEquals(v[i] / n, u[i], 1e-6);
            assertTrue(on.info().normalizes());
            assertFalse(off.info().normalizes());
            assertTrue(Math.abs(norm(off.embed("plants need light")) - 1) > 1e-3, "Normalize module switched off");
        }
    }

    /** Batches of 4 in length order give each text the vector it gets alone, back in input order. */
    @Test
    void batchesGiveEachTextItsOwnVectorInInputOrder() throws Exception {
        List<String> texts = TinyRankers.texts(13, 11);
        SentenceEncoder alone = SentenceEncoder.load(plain);
        try (Embedder embedder = Embedder.load(plain, EmbedderOptions.defaults().withBatchSize(4).withMaxLength(24))) {
            float[][] vectors = embedder.embed(texts);
            assertEquals(texts.size(), vectors.length);
            for (int i = 0; i < texts.size(); i++) {
                assertArrayEquals(alone.encode(List.of(texts.get(i)), 24)[0], vectors[i], 1e-5f, "text " + i);
            }
            assertEquals(0, embedder.embed(List.of()).length);
        }
    }

    @Test
    void tooLongTextsAreNamedWhenTruncationIsNotWanted() throws Exception {
        try (Embedder embedder = Embedder.load(plain, EmbedderOptions.defaults().withMaxLength(10))) {
            embedder.checkLengths(List.of("a b c d e f g h")); // 8 + [CLS] + [SEP]
            var tooLong = assertThrows(InputTooLongException.class, () -> embedder.checkLengths(List.of("a", "a b c d e f g h i")));
            assertEquals(1, tooLong.index());
            assertEquals(11, tooLong.tokens());
            assertEquals(2, embedder.embed(List.of("a", "a b c d e f g h i")).length);
        }
    }

    /**
     * all-MiniLM-L6-v2's mean-pooled vectors against text-embeddings-inference's (candle, float32) snapshots: within
     * 1e-5 with TEI's tanh GELU, within the transformer module's 5e-3 with the exact GELU the model's config names
     * ({@link TeiReference} says why).
     */
    @Test
    void miniLmMatchesTextEmbeddingsInference(@TempDir Path tanh) throws Exception {
        List<float[]> batch = TeiReference.batch();
        try (Embedder embedder = Embedder.load(TeiReference.withTanhGelu(tanh))) {
            float[][] ours = embedder.embed(TeiReference.BATCH);
            for (int i = 0; i < ours.length; i++) {
                double diff = TeiReference.maxAbsDiff(batch.get(i), ours[i]);
                System.out.printf("all-MiniLM-L6-v2 (tanh GELU) %s: max abs diff %.3g against TEI's batch snapshot%n",
                        TeiReference.BATCH.get(i), diff);
                assertTrue(diff <= 1e-5, "text " + i + ": max abs diff " + diff);
            }
        }
        try (Embedder embedder = Embedder.load(TeiReference.model())) {
            float[] ours = embedder.embed("What is Deep Learning?");
            assertEquals(384, ours.length);
            double diff = TeiReference.maxAbsDiff(TeiReference.single(), ours);
            System.out.printf("all-MiniLM-L6-v2 (exact GELU): max abs diff %.3g against TEI's single snapshot%n", diff);
            assertTrue(diff <= 5e-3, "max abs diff " + diff);
        }
    }

    static double norm(float[] v) {
        double squares = 0;
        for (float x : v) squares += (double) x * x;
        return Math.sqrt(squares);
    }
}
