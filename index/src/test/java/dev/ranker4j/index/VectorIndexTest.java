package dev.ranker4j.index;

import dev.ranker4j.ir.data.Run;
import dev.ranker4j.ir.data.ScoredDoc;
import dev.ranker4j.ir.retrieval.DenseRetrieval;
import dev.ranker4j.ir.retrieval.DenseVectors;
import dev.ranker4j.ir.retrieval.ExactSearch;
import dev.ranker4j.ir.retrieval.Progress;
import dev.ranker4j.ir.retrieval.Similarity;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Flat, HNSW and int8 HNSW indexes against the exact search they approximate. */
class VectorIndexTest {
    private static final int K = 10;

    @TempDir
    static Path shared;
    static DenseVectors docs;
    static DenseVectors queries;
    static Run exact;

    @TempDir
    Path dir;

    @BeforeAll
    static void corpus() {
        docs = TestCorpora.clustered(3000, 48, 7, "d");
        queries = queriesNearDocs();
        exact = DenseRetrieval.toRun(queries, docs, new ExactSearch(2).search(queries, docs, K, Similarity.COSINE));
    }

    /** 100 queries drawn from the same clusters as the documents (the tail of a longer draw with the same seed). */
    private static DenseVectors queriesNearDocs() {
        DenseVectors all = TestCorpora.clustered(3100, 48, 7, "x");
        float[][] rows = new float[100][];
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 100; i++) {
            rows[i] = all.vector(3000 + i);
            ids.add("q" + i);
        }
        return DenseVectors.of(ids, rows, false);
    }

    private Run search(IndexKind kind, int threads, int ef) {
        Path index = dir.resolve(kind.label());
        IndexStatistics statistics = new VectorIndexer(new VectorIndexer.Settings(kind, Similarity.COSINE, 16, 100,
                threads)).index(docs, "docs.vec", index, Progress.NONE);
        assertEquals(docs.size(), statistics.documents());
        assertEquals(1, statistics.segments());
        try (VectorSearcher searcher = VectorSearcher.open(index, true)) {
            assertEquals(kind, searcher.metadata().kind());
            return searcher.search(queries, Path.of("queries.vec"), ef, SearchSettings.of(K).withThreads(2));
        }
    }

    /** Mean over queries of |top-k ∩ exact top-k| / k. */
    private static double overlap(Run run) {
        double sum = 0;
        for (String query : exact.queryIds()) {
            Set<String> truth = new HashSet<>();
            exact.ranking(query).forEach(d -> truth.add(d.docId()));
            sum += run.ranking(query).stream().filter(d -> truth.contains(d.docId())).count() / (double) K;
        }
        return sum / exact.size();
    }

    @Test
    void flatIndexIsExactSearch() {
        Run flat = search(IndexKind.FLAT, 2, 0);
        for (String query : exact.queryIds()) {
            List<ScoredDoc> expected = exact.ranking(query), actual = flat.ranking(query);
            assertEquals(expected.stream().map(ScoredDoc::docId).toList(), actual.stream().map(ScoredDoc::docId).toList(),
                    query);
            for (int i = 0; i < K; i++) assertEquals(expected.get(i).score(), actual.get(i).score(), 2e-6, query);
        }
    }

    @Test
    void hnswAgreesWithExactSearch() {
        double overlap = overlap(search(IndexKind.HNSW, 1, 100));
        assertTrue(overlap >= 0.98, "HNSW overlap@10 with exact " + overlap);
    }

    @Test
    void hnswBuiltWithSeveralThreadsAgreesToo() {
        double overlap = overlap(search(IndexKind.HNSW, 3, 100));
        assertTrue(overlap >= 0.98, "HNSW (3 threads) overlap@10 with exact " + overlap);
    }

    @Test
    void int8HnswAgreesWithExactSearchWithinQuantizationError() {
        Run int8 = search(IndexKind.HNSW_INT8, 1, 100);
        double overlap = overlap(int8);
        assertTrue(overlap >= 0.9, "int8 HNSW overlap@10 with exact " + overlap);
        for (String query : exact.queryIds()) {
            // Quantized scores estimate the cosine.
            assertEquals(exact.ranking(query).getFirst().score(), int8.ranking(query).getFirst().score(), 0.02, query);
        }
    }

    @Test
    void dotIndexesScoreTheInnerProduct() {
        DenseVectors small = TestCorpora.clustered(50, 8, 3, "d");
        Path index = dir.resolve("dot");
        new VectorIndexer(new VectorIndexer.Settings(IndexKind.FLAT, Similarity.DOT, 16, 100, 1))
                .index(small, "docs.vec", index, Progress.NONE);
        Run expected = DenseRetrieval.toRun(small, small, new ExactSearch(1).search(small, small, 5, Similarity.DOT));
        try (VectorSearcher searcher = VectorSearcher.open(index, true)) {
            Run run = searcher.search(small, Path.of("docs.vec"), 0, SearchSettings.of(5).withRemoveQuery(false));
            for (String query : expected.queryIds()) {
                for (int i = 0; i < 5; i++) {
                    ScoredDoc want = expected.ranking(query).get(i), got = run.ranking(query).get(i);
                    assertEquals(want.docId(), got.docId(), query);
                    assertEquals(want.score(), got.score(), 1e-4 * Math.max(1, Math.abs(want.score())), query);
                }
            }
            // Each vector finds itself first; with the query's id removed (Anserini's -removeQuery) it does not.
            Run removed = searcher.search(small, Path.of("docs.vec"), 0, SearchSettings.of(5));
            for (String query : removed.queryIds()) {
                assertTrue(removed.ranking(query).stream().noneMatch(d -> d.docId().equals(query)), query);
            }
        }
    }

    @Test
    void vectorsUpTo4096DimensionsAreIndexedAndLargerOnesRefused() {
        for (IndexKind kind : new IndexKind[] {IndexKind.FLAT, IndexKind.HNSW, IndexKind.HNSW_INT8}) {
            DenseVectors wide = TestCorpora.clustered(40, 4096, 5, "w");
            Path index = dir.resolve("wide-" + kind.label());
            new VectorIndexer(new VectorIndexer.Settings(kind, Similarity.COSINE, 16, 100, 1))
                    .index(wide, "wide.vec", index, Progress.NONE);
            try (VectorSearcher searcher = VectorSearcher.open(index, true)) {
                assertEquals(4096, searcher.metadata().dimension());
                Run run = searcher.search(wide, Path.of("wide.vec"), 10, SearchSettings.of(1).withRemoveQuery(false));
                for (String id : wide.ids()) assertEquals(id, run.ranking(id).getFirst().docId(), kind.label());
            }
        }
        DenseVectors tooWide = TestCorpora.clustered(2, 4097, 5, "w");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new VectorIndexer(
                new VectorIndexer.Settings(IndexKind.HNSW, Similarity.COSINE, 16, 100, 1))
                .index(tooWide, "wide.vec", dir.resolve("too-wide"), Progress.NONE));
        assertEquals("wide.vec: dimension 4097 is above the 4096 an index accepts", e.getMessage());
    }

    @Test
    void queryVectorsOfAnotherDimensionAreRefusedNamingTheFile() {
        Path index = dir.resolve("small");
        new VectorIndexer(new VectorIndexer.Settings(IndexKind.HNSW, Similarity.COSINE, 16, 100, 1))
                .index(TestCorpora.clustered(20, 8, 1, "d"), "docs.vec", index, Progress.NONE);
        try (VectorSearcher searcher = VectorSearcher.open(index, true)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> searcher.search(
                    TestCorpora.clustered(3, 16, 1, "q"), Path.of("queries.vec"), 10, SearchSettings.of(5)));
            assertEquals("queries.vec: dimension 16 differs from the index's 8 (" + index + ")", e.getMessage());
        }
    }
}
