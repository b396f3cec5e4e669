package dev.ranker4j.ir.retrieval;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hand-checked searches. */
class ExactSearchTest {
    private static final DenseVectors DOCS = DenseVectors.of(List.of("a", "b", "c", "d"),
            new float[][] {{1, 0}, {0, 2}, {3, 3}, {0, 2}}, false);

    @Test
    void dotRanksByInnerProductAndBreaksTiesByDocidDescending() {
        DenseVectors query = DenseVectors.of(List.of("q"), new float[][] {{0, 1}}, false);
        List<Hit> hits = new ExactSearch(2).search(query, DOCS, 3, Similarity.DOT).getFirst();
        // c: 3, then b and d tie at 2: trec_eval puts docid "d" before "b".
        assertEquals(List.of(new Hit(2, 3f), new Hit(3, 2f), new Hit(1, 2f)), hits);
    }

    @Test
    void cosineIgnoresLength() {
        DenseVectors query = DenseVectors.of(List.of("q"), new float[][] {{5, 0}}, false);
        List<Hit> hits = new ExactSearch(1).search(query, DOCS, 4, Similarity.COSINE).getFirst();
        assertEquals(0, hits.get(0).doc());
        assertEquals(1f, hits.get(0).score(), 1e-6f);
        assertEquals((float) Math.sqrt(0.5), hits.get(1).score(), 1e-6f);
        assertEquals(0f, hits.get(3).score());
    }

    @Test
    void kLargerThanTheCorpusReturnsEveryDocument() {
        DenseVectors query = DenseVectors.of(List.of("q"), new float[][] {{1, 1}}, false);
        assertEquals(4, new ExactSearch(3).search(query, DOCS, 100, Similarity.DOT).getFirst().size());
    }

    @Test
    void simdDotMatchesASequentialSumOnEveryTailLength() {
        for (int length = 0; length < 100; length++) {
            float[] a = new float[length + 3];
            float[] b = new float[length + 5];
            float expected = 0;
            for (int i = 0; i < length; i++) {
                a[i + 3] = i % 5 - 2;
                b[i + 5] = i % 3;
                expected += a[i + 3] * b[i + 5];
            }
            assertEquals(expected, ExactSearch.dot(a, 3, b, 5, length), "length " + length);
        }
    }

    @Test
    void mismatchedDimensionsAreRefused() {
        DenseVectors query = DenseVectors.of(List.of("q"), new float[][] {{1, 1, 1}}, false);
        var error = assertThrows(IllegalArgumentException.class,
                () -> new ExactSearch(1).search(query, DOCS, 1, Similarity.DOT));
        assertTrue(error.getMessage().contains("dimension 3 but document vectors 2"), error.getMessage());
    }
}
