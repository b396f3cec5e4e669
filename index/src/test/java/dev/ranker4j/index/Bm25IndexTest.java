package dev.ranker4j.index;

import dev.ranker4j.ir.data.DataFormatException;
import dev.ranker4j.ir.data.Document;
import dev.ranker4j.ir.data.Run;
import dev.ranker4j.ir.data.ScoredDoc;
import dev.ranker4j.ir.retrieval.Progress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Building and searching BM25 indexes: statistics, scores against the formula, ties, Anserini's options. */
class Bm25IndexTest {
    @TempDir
    Path dir;

    private IndexStatistics index(Path corpus, Path output, int threads) {
        return new Bm25Indexer(EnglishAnalysis.DEFAULT, threads).index(corpus, output, Progress.NONE);
    }

    private Path fruitCorpus() {
        return TestCorpora.beir(dir.resolve("corpus.jsonl"),
                new Document("d1", "", "apple banana apple"),
                new Document("d2", "", "banana cherry"),
                new Document("d3", "Cherry", "date elderberry fig"),
                new Document("d4", "", "   "));
    }

    @Test
    void statisticsCountDocumentsAndTermsAndSkipBlankDocuments() {
        IndexStatistics statistics = index(fruitCorpus(), dir.resolve("index"), 2);
        assertEquals(3, statistics.documents());
        assertEquals(1, statistics.skipped());
        assertEquals(9, statistics.terms());
        assertEquals(6, statistics.uniqueTerms()); // appl banana cherri date elderberri fig
        assertFalse(Files.exists(IndexDirectories.partialDirectory(dir.resolve("index"))));
    }

    /** Lucene's BM25 (no (k1 + 1) factor) with Anserini's k1 and b, in double precision. */
    private static double bm25(int n, int df, int tf, int length, double averageLength) {
        double idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
        return idf * tf / (tf + 0.9 * (1 - 0.4 + 0.4 * length / averageLength));
    }

    @Test
    void scoresAreBm25WithK1Point9AndBPoint4AndQueryTermCountsAsBoosts() throws Exception {
        Path index = dir.resolve("index");
        index(fruitCorpus(), index, 1);
        double averageLength = 9 / 3.0;
        try (Bm25Searcher searcher = Bm25Searcher.open(index, true, EnglishAnalysis.DEFAULT, Bm25Searcher.K1,
                Bm25Searcher.B)) {
            List<ScoredDoc> apples = searcher.search("q", "apples", 10, true);
            assertEquals(1, apples.size());
            assertEquals("d1", apples.getFirst().docId());
            assertEquals(bm25(3, 1, 2, 3, averageLength), apples.getFirst().score(), 1e-5);

            // "cherry cherry banana": cherri counts twice (a boost of 2), as Anserini's bag of words does.
            List<ScoredDoc> hits = searcher.search("q", "cherry cherry banana", 10, true);
            Map<String, Double> scores = new LinkedHashMap<>();
            hits.forEach(hit -> scores.put(hit.docId(), hit.score()));
            assertEquals(List.of("d2", "d3", "d1"), List.copyOf(scores.keySet()));
            assertEquals(2 * bm25(3, 2, 1, 2, averageLength) + bm25(3, 2, 1, 2, averageLength), scores.get("d2"), 1e-5);
            assertEquals(2 * bm25(3, 2, 1, 4, averageLength), scores.get("d3"), 1e-5);
            assertEquals(bm25(3, 2, 1, 3, averageLength), scores.get("d1"), 1e-5);

            assertTrue(searcher.search("q", "the and of", 10, true).isEmpty(), "only stop words: no query terms");
        }
    }

    @Test
    void equalScoresRankByDocumentIdDescendingAlsoAtTheCut() throws Exception {
        Path corpus = TestCorpora.beir(dir.resolve("twins.jsonl"),
                new Document("a", "", "same words here"), new Document("c", "", "same words here"),
                new Document("b", "", "same words here"), new Document("z", "", "other text entirely"));
        Path index = dir.resolve("index");
        index(corpus, index, 1);
        try (Bm25Searcher searcher = Bm25Searcher.open(index, true, null, Bm25Searcher.K1, Bm25Searcher.B)) {
            assertEquals(List.of("c", "b", "a"), searcher.search("q", "same words", 10, true).stream()
                    .map(ScoredDoc::docId).toList());
            assertEquals(List.of("c"), searcher.search("q", "same words", 1, true).stream().map(ScoredDoc::docId)
                    .toList());
            // Anserini's -removeQuery: the query's own id is dropped after the top k are taken.
            assertEquals(List.of("b"), searcher.search("c", "same words", 2, true).stream().map(ScoredDoc::docId)
                    .toList());
            assertEquals(List.of("c", "b"), searcher.search("c", "same words", 2, false).stream()
                    .map(ScoredDoc::docId).toList());
        }
    }

    @Test
    void manyTiesBeyondTheFirstCollectionStillCutByIdDescending() throws Exception {
        Document[] documents = new Document[60];
        for (int i = 0; i < 60; i++) documents[i] = new Document(String.format("t%02d", i), "", "tied text");
        Path index = dir.resolve("index");
        index(TestCorpora.beir(dir.resolve("ties.jsonl"), documents), index, 3);
        try (Bm25Searcher searcher = Bm25Searcher.open(index, true, null, Bm25Searcher.K1, Bm25Searcher.B)) {
            assertEquals(List.of("t59", "t58", "t57", "t56", "t55"), searcher.search("q", "tied", 5, true).stream()
                    .map(ScoredDoc::docId).toList());
            assertEquals(60, searcher.search("q", "tied", 100, true).size());
        }
    }

    @Test
    void tsvCorpusAndManyThreadsGiveTheSameRunAsOneThread() throws Exception {
        StringBuilder tsv = new StringBuilder();
        for (int i = 0; i < 1500; i++) {
            tsv.append("p").append(i).append('\t').append("passage ").append(i % 7 == 0 ? "about apples " : "")
                    .append("number ").append(i % 13).append(" with words ").append(i % 5 == 0 ? "banana" : "kiwi")
                    .append('\n');
        }
        Path corpus = Files.writeString(dir.resolve("collection.tsv"), tsv);
        Map<String, String> queries = Map.of("q1", "apples banana", "q2", "kiwi number 7", "q3", "words");
        Run[] runs = new Run[2];
        int[] threads = {1, 4};
        for (int t = 0; t < 2; t++) {
            Path index = dir.resolve("index" + t);
            assertEquals(1500, index(corpus, index, threads[t]).documents());
            try (Bm25Searcher searcher = Bm25Searcher.open(index, true, null, Bm25Searcher.K1, Bm25Searcher.B)) {
                runs[t] = searcher.search(queries, SearchSettings.of(100).withThreads(threads[t]));
            }
        }
        for (String query : queries.keySet()) {
            assertEquals(100, runs[0].ranking(query).size());
            assertEquals(runs[0].ranking(query), runs[1].ranking(query), query);
        }
    }

    @Test
    void badCorpusLinesAndDuplicateIdsAreOneLineErrorsAndLeaveNoIndex() throws Exception {
        Path broken = Files.writeString(dir.resolve("broken.jsonl"), "{\"_id\":\"1\",\"text\":\"fine\"}\n{\"_id\":\"2\"}\n");
        Path index = dir.resolve("index");
        DataFormatException format = assertThrows(DataFormatException.class, () -> index(broken, index, 2));
        assertTrue(format.getMessage().startsWith(broken + ":2:"), format.getMessage());
        assertFalse(Files.exists(index));
        assertFalse(Files.exists(IndexDirectories.partialDirectory(index)));

        Path twice = TestCorpora.beir(dir.resolve("twice.jsonl"), new Document("1", "", "one"),
                new Document("2", "", "two"), new Document("1", "", "again"));
        IllegalArgumentException duplicate = assertThrows(IllegalArgumentException.class, () -> index(twice, index, 2));
        assertEquals(twice + ": id 1 appears 2 times", duplicate.getMessage());
        assertFalse(Files.exists(index));
    }

    @Test
    void anIndexIsSearchedWithItsOwnAnalysisAndAnotherIsRefused() throws Exception {
        Path corpus = TestCorpora.beir(dir.resolve("corpus.jsonl"), new Document("d1", "", "The dogs were running studies"));
        Path index = dir.resolve("index");
        EnglishAnalysis krovetz = new EnglishAnalysis(EnglishAnalysis.Stemmer.KROVETZ, true);
        new Bm25Indexer(krovetz, 1).index(corpus, index, Progress.NONE);
        try (Bm25Searcher searcher = Bm25Searcher.open(index, true, null, Bm25Searcher.K1, Bm25Searcher.B)) {
            assertEquals(krovetz, searcher.metadata().analysis());
            // Krovetz makes "study" of both; Porter would make "studi" of the query and miss "study".
            assertEquals(1, searcher.search("q", "study", 10, true).size());
        }
        IndexException e = assertThrows(IndexException.class, () -> Bm25Searcher.open(index, true,
                EnglishAnalysis.DEFAULT, Bm25Searcher.K1, Bm25Searcher.B));
        assertEquals(index + ": was built with analyzer " + krovetz.id() + ", not " + EnglishAnalysis.DEFAULT.id(),
                e.getMessage());
    }
}
