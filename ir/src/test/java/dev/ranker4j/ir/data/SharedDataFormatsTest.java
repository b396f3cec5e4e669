package dev.ranker4j.ir.data;

import dev.ranker4j.testkit.SharedData;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The readers on the real files in ../shared/data (skipped when it is absent); counts are from ../shared/README.md. */
class SharedDataFormatsTest {
    @TempDir
    Path dir;

    @Test
    void sciFactBeirDirectory() {
        Path scifact = SharedData.require("data/scifact");
        try (Stream<Document> corpus = BeirFormat.readCorpus(BeirFormat.corpusFile(scifact))) {
            assertEquals(5183, corpus.count());
        }
        try (Stream<Query> queries = BeirFormat.readQueries(BeirFormat.queriesFile(scifact))) {
            assertEquals(1109, queries.count());
        }
        Qrels test = Qrels.read(BeirFormat.qrelsFile(scifact, "test"));
        assertEquals(300, test.size());
        assertEquals(339, test.judgments().size());
        assertEquals(919, Qrels.read(BeirFormat.qrelsFile(scifact, "train")).judgments().size());
        // Anserini's TREC-format copy of the test qrels holds the same judgments.
        assertEquals(test.judgments().stream().sorted(java.util.Comparator.comparing(Judgment::toString)).toList(),
                Qrels.read(scifact.resolve("qrels.beir-v1.0.0-scifact.test.txt")).judgments().stream()
                        .sorted(java.util.Comparator.comparing(Judgment::toString)).toList());
    }

    @Test
    void sciFactCorpusRoundTrips() throws Exception {
        Path corpus = BeirFormat.corpusFile(SharedData.require("data/scifact"));
        List<Document> documents;
        try (Stream<Document> stream = BeirFormat.readCorpus(corpus)) {
            documents = stream.toList();
        }
        BeirFormat.writeCorpus(dir.resolve("corpus.jsonl"), documents);
        try (Stream<Document> again = BeirFormat.readCorpus(dir.resolve("corpus.jsonl"))) {
            assertEquals(documents, again.toList());
        }
    }

    @Test
    void trecDl2019RunTopicsAndRankLlmJsonAgree() {
        Path dl19 = SharedData.require("data/trec-dl-2019-passage");
        Run run = Run.readTrec(dl19.resolve("BM25/trec_results_dl19.txt"));
        assertEquals(43, run.size());
        List<RankedCandidates> candidates;
        try (Stream<RankedCandidates> stream = RankLlmFormat.read(dl19.resolve("BM25/retrieve_results_dl19.json"))) {
            candidates = stream.toList();
        }
        assertEquals(43, candidates.size());
        List<Query> topics;
        try (Stream<Query> stream = MsMarcoFormat.readQueries(dl19.resolve("topics.dl19-passage.txt"))) {
            topics = stream.toList();
        }
        assertEquals(43, topics.size());
        for (RankedCandidates query : candidates) {
            assertEquals(100, query.hits().size());
            List<ScoredDoc> ranking = run.ranking(query.query().id());
            for (int i = 0; i < query.hits().size(); i++) {
                assertFalse(query.hits().get(i).content().isEmpty());
                assertEquals(ranking.get(i).docId(), query.hits().get(i).docId());
                assertEquals(ranking.get(i).score(), query.hits().get(i).score());
            }
            assertEquals(topics.stream().filter(t -> t.id().equals(query.query().id())).findFirst().orElseThrow().text(),
                    query.query().text());
        }
    }

    @Test
    void rankLlmJsonRoundTrips() {
        Path json = SharedData.require("data/trec-dl-2019-passage/BM25/retrieve_results_dl19.json");
        List<RankedCandidates> original;
        try (Stream<RankedCandidates> stream = RankLlmFormat.read(json)) {
            original = stream.toList();
        }
        RankLlmFormat.write(dir.resolve("copy.json"), original);
        try (Stream<RankedCandidates> stream = RankLlmFormat.read(dir.resolve("copy.json"))) {
            assertEquals(original, stream.toList());
        }
    }

    @Test
    void msMarcoTriplesSampleAndGzippedWordPieceTopics() throws Exception {
        try (Stream<Triple> triples = MsMarcoFormat.readTriples(
                SharedData.require("data/msmarco-triples-sample/triples.tsv"))) {
            assertEquals(100, triples.filter(t -> !t.positive().isEmpty() && !t.negative().isEmpty()).count());
        }
        Path wordPiece = SharedData.require("data/scifact/topics.beir-v1.0.0-scifact.test.wp.tsv.gz");
        try (Stream<Query> topics = MsMarcoFormat.readQueries(wordPiece)) {
            assertEquals(300, topics.count());
        }
        assertEquals(true, Files.size(wordPiece) > 0);
    }
}
