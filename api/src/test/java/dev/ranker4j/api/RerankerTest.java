package dev.ranker4j.api;

import dev.ranker4j.tensor.DType;
import dev.ranker4j.tokenizer.WordPieceTokenizer;
import dev.ranker4j.training.retrieval.CrossEncoderScorer;
import dev.ranker4j.transformer.ranking.CrossEncoder;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Reranker on tiny random models: batching, kinds, ranking, length checks, threads, closing. */
class RerankerTest {
    @TempDir
    static Path dir;
    static Path crossEncoder;
    static Path dualEncoder;

    @BeforeAll
    static void models() throws Exception {
        crossEncoder = TinyRankers.crossEncoder(Files.createDirectory(dir.resolve("ce")));
        dualEncoder = TinyRankers.dualEncoder(Files.createDirectory(dir.resolve("de")));
    }

    @Test
    void theKindIsReadFromTheDirectory() throws Exception {
        assertEquals(RerankerKind.CROSS_ENCODER, RerankerKind.detect(crossEncoder));
        assertEquals(RerankerKind.DUAL_ENCODER, RerankerKind.detect(dualEncoder));
        try (Reranker reranker = Reranker.load(crossEncoder)) {
            assertEquals(RerankerKind.CROSS_ENCODER, reranker.kind());
            ModelInfo info = reranker.info();
            assertEquals("cross_encoder", info.kind());
            assertEquals(256, info.maxLength());
            assertEquals(16, info.hiddenSize());
            assertEquals("float32", info.dtype());
            assertTrue(info.threads() >= 1);
        }
        assertEquals(RerankerKind.DUAL_ENCODER, RerankerKind.parse("Dual_Encoder"));
        assertThrows(IllegalArgumentException.class, () -> RerankerKind.parse("colbert"));
    }

    /** Length-sorted batches of 3 give each pair the score it gets alone, back in input order. */
    @Test
    void sortedBatchesGiveEachPairItsOwnScoreInInputOrder() throws Exception {
        List<String> passages = TinyRankers.texts(11, 1);
        var alone = new CrossEncoderScorer(WordPieceTokenizer.fromDirectory(crossEncoder),
                CrossEncoder.load(crossEncoder, DType.F32, 0), 64);
        try (Reranker reranker = Reranker.load(crossEncoder, RerankerOptions.defaults().withBatchSize(3).withMaxLength(64))) {
            float[] scores = reranker.score("plants need light", passages);
            assertEquals(passages.size(), scores.length);
            for (int i = 0; i < passages.size(); i++) {
                assertEquals(alone.score("plants need light", List.of(passages.get(i)))[0], scores[i], 1e-5, "passage " + i);
            }
            // The same call twice: the same batches, the same bits.
            assertArrayEquals(scores, reranker.score("plants need light", passages));
        }
    }

    @Test
    void scoreAllMatchesOneCallPerQuery() throws Exception {
        for (Path model : List.of(crossEncoder, dualEncoder)) {
            try (Reranker reranker = Reranker.load(model, RerankerOptions.defaults().withBatchSize(4))) {
                List<String> queries = List.of("light", "the roman empire", "water");
                List<List<String>> lists = List.of(TinyRankers.texts(5, 2), List.of(), TinyRankers.texts(9, 3));
                float[][] all = reranker.scoreAll(queries, lists);
                assertEquals(3, all.length);
                for (int q = 0; q < queries.size(); q++) {
                    assertArrayEquals(reranker.score(queries.get(q), lists.get(q)), all[q], 1e-5f, model + " query " + q);
                }
                assertThrows(IllegalArgumentException.class, () -> reranker.scoreAll(queries, lists.subList(0, 2)));
            }
        }
    }

    /** A dual encoder ranks by the cosine similarity of the (mean-pooled) query and passage vectors. */
    @Test
    void aDualEncoderScoresCosineSimilarity() throws Exception {
        List<String> passages = TinyRankers.texts(6, 4);
        try (Reranker reranker = Reranker.load(dualEncoder);
             Embedder embedder = Embedder.load(dualEncoder)) {
            float[] scores = reranker.score("plants need light", passages);
            float[] q = embedder.embed("plants need light");
            float[][] p = embedder.embed(passages);
            for (int i = 0; i < p.length; i++) assertEquals(cosine(q, p[i]), scores[i], 1e-5, "passage " + i);
        }
    }

    /** An embedder's re-ranker shares its weights and thread and scores as a separately loaded one does. */
    @Test
    void anEmbeddersRerankerScoresAsALoadedOne() throws Exception {
        List<String> passages = TinyRankers.texts(9, 8);
        RerankerOptions options = RerankerOptions.defaults().withBatchSize(4);
        try (Reranker loaded = Reranker.load(dualEncoder, options); Embedder embedder = Embedder.load(dualEncoder)) {
            Reranker shared = embedder.reranker(options);
            assertArrayEquals(loaded.score("plants need light", passages), shared.score("plants need light", passages));
            assertEquals("dual_encoder", shared.info().kind());
            shared.close(); // the embedder's thread goes on
            assertEquals(16, embedder.embed("still here").length);
        }
    }

    @Test
    void rankSortsBestFirst() throws Exception {
        List<String> passages = TinyRankers.texts(8, 5);
        try (Reranker reranker = Reranker.load(crossEncoder)) {
            float[] scores = reranker.score("q", passages);
            List<ScoredPassage> ranked = reranker.rank("q", passages);
            assertEquals(passages.size(), ranked.size());
            for (int i = 0; i < ranked.size(); i++) {
                assertEquals(scores[ranked.get(i).index()], ranked.get(i).score());
                if (i > 0) assertTrue(ranked.get(i - 1).score() >= ranked.get(i).score());
            }
        }
    }

    @Test
    void inputsThatAreTooLongAreNamedWhenTruncationIsNotWanted() throws Exception {
        String longText = "a ".repeat(40).strip(); // 40 tokens
        try (Reranker cross = Reranker.load(crossEncoder, RerankerOptions.defaults().withMaxLength(32));
             Reranker dual = Reranker.load(dualEncoder, RerankerOptions.defaults().withMaxLength(32).withQueryMaxLength(8))) {
            cross.checkLengths("q", List.of("b c", "d"));
            var tooLong = assertThrows(InputTooLongException.class, () -> cross.checkLengths("q", List.of("b", longText)));
            assertEquals(1, tooLong.index());
            assertEquals(44, tooLong.tokens()); // [CLS] q [SEP] 40 × a [SEP]
            assertEquals(32, tooLong.maxLength());
            // Without the check, the pair is truncated and scored.
            assertEquals(2, cross.score("q", List.of("b", longText)).length);
            var query = assertThrows(InputTooLongException.class, () -> dual.checkLengths("a b c d e f g", List.of("b")));
            assertEquals(-1, query.index());
            assertTrue(query.getMessage().startsWith("the query has 9 tokens"), query.getMessage());
            assertThrows(InputTooLongException.class, () -> dual.checkLengths("q", List.of(longText)));
        }
    }

    @Test
    void badArgumentsAreRefusedWithTheirName() throws Exception {
        try (Reranker reranker = Reranker.load(crossEncoder)) {
            assertEquals(0, reranker.score("q", List.of()).length);
            var nullPassage = assertThrows(IllegalArgumentException.class,
                    () -> reranker.score("q", java.util.Arrays.asList("a", null)));
            assertEquals("passages[1] is null", nullPassage.getMessage());
            assertThrows(NullPointerException.class, () -> reranker.score(null, List.of("a")));
        }
        var tooLong = assertThrows(IllegalArgumentException.class,
                () -> Reranker.load(crossEncoder, RerankerOptions.defaults().withMaxLength(1000)));
        assertTrue(tooLong.getMessage().contains("maxLength 1000 is more than the model's 512 positions"), tooLong.getMessage());
        var missing = assertThrows(IllegalArgumentException.class, () -> Reranker.load(dir.resolve("nowhere")));
        assertTrue(missing.getMessage().contains("no such model directory"), missing.getMessage());
    }

    /** Many threads at once get what each would get alone, bit for bit: their calls run one at a time. */
    @Test
    void concurrentCallersGetTheirOwnScores() throws Exception {
        List<String> queries = TinyRankers.texts(16, 6);
        List<String> passages = TinyRankers.texts(7, 7);
        try (Reranker reranker = Reranker.load(crossEncoder, RerankerOptions.defaults().withBatchSize(4))) {
            List<float[]> expected = new ArrayList<>();
            for (String q : queries) expected.add(reranker.score(q, passages));
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<float[]>> futures = new ArrayList<>();
                for (int round = 0; round < 4; round++) {
                    for (String q : queries) futures.add(pool.submit(() -> reranker.score(q, passages)));
                }
                for (int i = 0; i < futures.size(); i++) {
                    assertArrayEquals(expected.get(i % queries.size()), futures.get(i).get(), "call " + i);
                }
            }
        }
    }

    @Test
    void aClosedRerankerRefusesWork() throws Exception {
        Reranker reranker = Reranker.load(crossEncoder);
        reranker.close();
        var closed = assertThrows(IllegalStateException.class, () -> reranker.score("q", List.of("a")));
        assertTrue(closed.getMessage().endsWith("is closed"), closed.getMessage());
    }

    static double cosine(float[] a, float[] b) {
        double dot = 0, aa = 0, bb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            aa += (double) a[i] * a[i];
            bb += (double) b[i] * b[i];
        }
        return dot / Math.sqrt(aa * bb);
    }
}
