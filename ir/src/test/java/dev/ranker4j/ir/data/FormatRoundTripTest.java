package dev.ranker4j.ir.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every writer's output reads back to the same records. */
class FormatRoundTripTest {
    @TempDir
    Path dir;

    private static <T> List<T> readAll(Path file, Function<Path, Stream<T>> reader) {
        try (Stream<T> stream = reader.apply(file)) {
            return stream.toList();
        }
    }

    @Test
    void beir() {
        List<Document> corpus = List.of(new Document("d1", "Title", "text with \"quotes\" and ünïcode"),
                new Document("d2", "", "no title"));
        List<Query> queries = List.of(new Query("q1", "what is x?"), new Query("q2", "tab\tinside json is fine"));
        List<Judgment> qrels = List.of(new Judgment("q1", "d1", 1), new Judgment("q2", "d2", 0));
        BeirFormat.writeCorpus(BeirFormat.corpusFile(dir), corpus);
        BeirFormat.writeQueries(BeirFormat.queriesFile(dir), queries);
        BeirFormat.writeQrels(BeirFormat.qrelsFile(dir, "test"), qrels);
        assertEquals(corpus, readAll(BeirFormat.corpusFile(dir), BeirFormat::readCorpus));
        assertEquals(queries, readAll(BeirFormat.queriesFile(dir), BeirFormat::readQueries));
        assertEquals(qrels, readAll(BeirFormat.qrelsFile(dir, "test"), BeirFormat::readQrels));
    }

    @Test
    void trecRunAndQrels() {
        List<RunEntry> run = List.of(new RunEntry("q1", "d1", 1, 15.780599594116211, "bm25"),
                new RunEntry("q1", "d2", 2, -0.1, "bm25"));
        List<Judgment> qrels = List.of(new Judgment("q1", "d1", 3), new Judgment("q1", "d9", -1));
        TrecFormat.writeRun(dir.resolve("run.txt"), run);
        TrecFormat.writeQrels(dir.resolve("qrels.txt"), qrels);
        assertEquals(run, readAll(dir.resolve("run.txt"), TrecFormat::readRun));
        assertEquals(qrels, readAll(dir.resolve("qrels.txt"), TrecFormat::readQrels));
    }

    @Test
    void msMarco() {
        List<Document> collection = List.of(new Document("7", "", "a passage"), new Document("8", "", ""));
        List<Query> queries = List.of(new Query("1", "a query"));
        List<Triple> triples = List.of(new Triple("q", "pos text", "neg text"));
        List<TopKCandidate> topK = List.of(new TopKCandidate("1", "7", "a query", "a passage"));
        List<RunEntry> run = List.of(new RunEntry("1", "7", 1, -1, "msmarco"), new RunEntry("1", "8", 2, -2, "msmarco"));
        MsMarcoFormat.writeCollection(dir.resolve("collection.tsv"), collection);
        MsMarcoFormat.writeQueries(dir.resolve("queries.tsv"), queries);
        MsMarcoFormat.writeTriples(dir.resolve("triples.tsv"), triples);
        MsMarcoFormat.writeTopK(dir.resolve("top1000.tsv"), topK);
        MsMarcoFormat.writeRun(dir.resolve("run.tsv"), run);
        assertEquals(collection, readAll(dir.resolve("collection.tsv"), MsMarcoFormat::readCollection));
        assertEquals(queries, readAll(dir.resolve("queries.tsv"), MsMarcoFormat::readQueries));
        assertEquals(triples, readAll(dir.resolve("triples.tsv"), MsMarcoFormat::readTriples));
        assertEquals(topK, readAll(dir.resolve("top1000.tsv"), MsMarcoFormat::readTopK));
        assertEquals(run, readAll(dir.resolve("run.tsv"), MsMarcoFormat::readRun));
    }

    @Test
    void rankLlm() {
        List<RankedCandidates> candidates = List.of(
                new RankedCandidates(new Query("264014", "how long is life cycle of flea"), List.of(
                        new RankedCandidates.Hit("5611210", "A flea can live up to a year.", 1, 15.78),
                        new RankedCandidates.Hit("6641238", "Fleas...", 2, 15.09))),
                new RankedCandidates(new Query("q-no-hits", "nothing found"), List.of()));
        RankLlmFormat.write(dir.resolve("c.json"), candidates);
        assertEquals(candidates, readAll(dir.resolve("c.json"), RankLlmFormat::read));
    }

    @Test
    void rerankerToolkit() {
        List<GroupedTrainingExample> grouped = List.of(new GroupedTrainingExample("1", new int[] {2054, 2003},
                List.of(new TokenizedPassage("7", new int[] {1, 2, 3})),
                List.of(new TokenizedPassage("8", new int[] {4}), new TokenizedPassage("9", new int[] {}))));
        RerankerToolkitFormat.writeGrouped(dir.resolve("train.json"), grouped);
        assertEquals(grouped, readAll(dir.resolve("train.json"), RerankerToolkitFormat::readGrouped));

        List<InferenceExample> inference = List.of(new InferenceExample("1", "7", new int[] {5}, new int[] {6, 7}),
                new InferenceExample("1", "8", new int[] {5}, new int[] {8}));
        RerankerToolkitFormat.writeInference(dir.resolve("pred.json"), dir.resolve("pred.ids.tsv"), inference);
        assertEquals(inference, readAll(dir.resolve("pred.json"), RerankerToolkitFormat::readInference));
        assertEquals(inference.stream().map(InferenceExample::ids).toList(),
                readAll(dir.resolve("pred.ids.tsv"), RerankerToolkitFormat::readIds));

        List<ScoredPair> scores = List.of(new ScoredPair("1", "7", 0.25), new ScoredPair("1", "8", -3.5e-7));
        ScoreFiles.write(dir.resolve("scores.tsv"), scores);
        assertEquals(scores, readAll(dir.resolve("scores.tsv"), ScoreFiles::read));
    }

    @Test
    void readsTheToolkitsOwnLinesWithNumericIds() throws Exception {
        Path file = dir.resolve("train.json");
        Files.writeString(file, "{\"qry\": {\"qid\": 3, \"query\": [1, 2]}, \"pos\": [{\"pid\": 10, \"passage\": [3]}],"
                + " \"neg\": []}\n\n");
        GroupedTrainingExample example = readAll(file, RerankerToolkitFormat::readGrouped).getFirst();
        assertEquals("3", example.queryId());
        assertEquals("10", example.positives().getFirst().passageId());
    }

    @Test
    void scoreFileToRunsRanksByScoreWithTrecEvalTieBreaking() throws Exception {
        Path scores = dir.resolve("scores.tsv");
        Files.writeString(scores, "q2\tb\t0.5\nq2\ta\t0.9\nq1\tx\t1.0\nq1\tz\t1.0\nq1\ty\t2\n");
        ScoreFiles.toMsMarcoRun(scores, dir.resolve("run.tsv"));
        ScoreFiles.toTrecRun(scores, dir.resolve("run.trec"), "ce");
        // Queries keep their first-appearance order; tied x and z go docid descending: z before x.
        assertEquals("q2\ta\t1\nq2\tb\t2\nq1\ty\t1\nq1\tz\t2\nq1\tx\t3\n", Files.readString(dir.resolve("run.tsv")));
        assertEquals("q2 Q0 a 1 0.9 ce\nq2 Q0 b 2 0.5 ce\nq1 Q0 y 1 2.0 ce\nq1 Q0 z 2 1.0 ce\nq1 Q0 x 3 1.0 ce\n",
                Files.readString(dir.resolve("run.trec")));
    }

    @Test
    void qrelsReadsBothTrecAndBeirLayouts() throws Exception {
        Files.writeString(dir.resolve("q.trec"), "1 0 d1 2\n1 Q0 d2 0\n");
        Files.writeString(dir.resolve("q.tsv"), "query-id\tcorpus-id\tscore\n1\td1\t2\n1\td2\t0\n");
        Qrels trec = Qrels.read(dir.resolve("q.trec"));
        Qrels beir = Qrels.read(dir.resolve("q.tsv"));
        assertEquals(trec.judgments(), beir.judgments());
        assertEquals(2, trec.judgments("1").get("d1"));
    }
}
