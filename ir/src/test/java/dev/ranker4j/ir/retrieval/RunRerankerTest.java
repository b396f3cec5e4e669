package dev.ranker4j.ir.retrieval;

import dev.ranker4j.ir.data.Run;
import dev.ranker4j.ir.data.RunEntry;
import dev.ranker4j.ir.data.ScoredDoc;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Re-ranking a run's top k. */
class RunRerankerTest {
    private static final Run FIRST_STAGE = Run.of(List.of(
            new RunEntry("q1", "short", 1, 9, "bm25"), new RunEntry("q1", "medium", 2, 8, "bm25"),
            new RunEntry("q1", "longest", 3, 7, "bm25"), new RunEntry("q1", "cut", 4, 6, "bm25"),
            new RunEntry("q2", "short", 1, 5, "bm25")));
    private static final Map<String, String> DOCS = Map.of("short", "a", "medium", "aaa", "longest", "aaaaaa",
            "cut", "aaaaaaaaaa");

    @Test
    void theTopDepthDocumentsAreRankedByTheScorer() {
        List<Integer> batchSizes = new ArrayList<>();
        PairScorer byLength = (query, passages) -> {
            batchSizes.add(passages.size());
            float[] scores = new float[passages.size()];
            for (int i = 0; i < scores.length; i++) scores[i] = passages.get(i).length() * query.length();
            return scores;
        };
        Run reranked = new RunReranker(byLength, 3).rerank(FIRST_STAGE, Map.of("q1", "x", "q2", "yy"), DOCS,
                Progress.NONE);
        assertEquals(List.of(new ScoredDoc("longest", 6), new ScoredDoc("medium", 3), new ScoredDoc("short", 1)),
                reranked.ranking("q1"));
        assertEquals(List.of(new ScoredDoc("short", 2)), reranked.ranking("q2"));
        assertEquals(List.of(3, 1), batchSizes, "one call per query: the scorer batches its list itself");
        assertEquals(4, new RunReranker(byLength, 3).pairCount(FIRST_STAGE));
    }

    @Test
    void anEncoderInBatchesSeesEachTextOnceInOrder() {
        List<List<String>> calls = new ArrayList<>();
        TextEncoder lengths = (texts, maxLength) -> {
            calls.add(List.copyOf(texts));
            float[][] vectors = new float[texts.size()][];
            for (int i = 0; i < vectors.length; i++) vectors[i] = new float[] {texts.get(i).length(), maxLength};
            return vectors;
        };
        float[][] vectors = lengths.inBatchesOf(2).encode(List.of("a", "bb", "ccc", "dddd", "eeeee"), 7);
        assertEquals(List.of(List.of("a", "bb"), List.of("ccc", "dddd"), List.of("eeeee")), calls);
        for (int i = 0; i < 5; i++) assertEquals(List.of((float) i + 1, 7f), List.of(vectors[i][0], vectors[i][1]));
        assertThrows(IllegalArgumentException.class, () -> lengths.inBatchesOf(0));
    }

    @Test
    void aDualEncoderScoresByCosine() {
        DualEncoderScorer scorer = new DualEncoderScorer(new ToyEncoder(), Similarity.COSINE, 32, 32);
        float[] scores = scorer.score("ab", List.of("ab", "ba", "cd", "abab"));
        assertEquals(1f, scores[0], 1e-6f);
        assertEquals(1f, scores[1], 1e-6f);
        assertEquals(0f, scores[2]);
        assertEquals(1f, scores[3], 1e-6f);
    }

    @Test
    void missingTextsAreNamed() {
        PairScorer constant = (query, passages) -> new float[passages.size()];
        var noQuery = assertThrows(IllegalArgumentException.class,
                () -> new RunReranker(constant, 3).rerank(FIRST_STAGE, Map.of("q1", "x"), DOCS, Progress.NONE));
        assertTrue(noQuery.getMessage().contains("query q2"), noQuery.getMessage());
        var noDoc = assertThrows(IllegalArgumentException.class, () -> new RunReranker(constant, 3)
                .rerank(FIRST_STAGE, Map.of("q1", "x", "q2", "y"), Map.of("short", "a"), Progress.NONE));
        assertTrue(noDoc.getMessage().contains("document medium (query q1)"), noDoc.getMessage());
    }
}
