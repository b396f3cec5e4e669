package dev.ranker4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ranker4j.ir.data.Run;
import dev.ranker4j.ir.data.ScoredDoc;
import dev.ranker4j.ir.retrieval.CorpusEncoder;
import dev.ranker4j.ir.retrieval.DenseVectors;
import dev.ranker4j.ir.retrieval.VectorFiles;
import dev.ranker4j.tensor.DType;
import dev.ranker4j.tokenizer.WordPieceTokenizer;
import dev.ranker4j.training.retrieval.ColbertScorer;
import dev.ranker4j.training.retrieval.CrossEncoderScorer;
import dev.ranker4j.transformer.bert.SentenceEncoder;
import dev.ranker4j.transformer.ranking.Colbert;
import dev.ranker4j.transformer.ranking.ColbertInputs;
import dev.ranker4j.transformer.ranking.CrossEncoder;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code encode}, {@code search}, {@code rerank} and {@code quickstart} end to end, in-process, with tiny models. */
class RetrievalCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path shared;
    static Path encoder;
    static Path sample;

    @TempDir
    Path dir;

    @BeforeAll
    static void models() throws Exception {
        encoder = TinyModels.sentenceEncoder(Files.createDirectory(shared.resolve("encoder")));
        sample = TinyModels.sample(Files.createDirectory(shared.resolve("sample")));
    }

    private Path encode(String kind, String input, Path output) {
        CliRun result = CliRun.of("encode", "--model", encoder.toString(), "--input", sample.resolve(input).toString(),
                "--kind", kind, "--output", output.toString(), "--batch-size", "8", "--shard-size", "16", "--quiet");
        assertEquals(0, result.exitCode(), result.err());
        return output;
    }

    @Test
    void encodeWritesTheVectorsTheEncoderComputes() throws Exception {
        Path docs = encode("corpus", "corpus.jsonl", dir.resolve("docs.vec"));
        DenseVectors vectors = VectorFiles.read(docs);
        assertEquals(36, vectors.size());
        assertEquals(16, vectors.dimension());
        assertFalse(vectors.normalized());
        assertFalse(Files.exists(CorpusEncoder.checkpointDirectory(docs)), "checkpoints removed after success");
        // p1 = title + " " + text, encoded directly.
        float[] direct = SentenceEncoder.load(encoder).encode(List.of("Photosynthesis Plants convert sunlight, water and"
                + " carbon dioxide into glucose and oxygen in their chloroplasts."), 256)[0];
        assertArrayEquals(direct, vectors.vector(vectors.ids().indexOf("p1")), 1e-5f);
    }

    @Test
    void searchWritesATrecRunOfTheTopK() throws Exception {
        Path docs = encode("corpus", "corpus.jsonl", dir.resolve("docs.vec"));
        Path queries = encode("queries", "queries.jsonl", dir.resolve("queries.vec"));
        Path run = dir.resolve("run.trec");
        CliRun result = CliRun.of("search", "--queries", queries.toString(), "--docs", docs.toString(), "--output",
                run.toString(), "-k", "5", "--threads", "2");
        assertEquals(0, result.exitCode(), result.err());
        JsonNode json = JSON.readTree(result.lastLine());
        assertEquals(10, json.get("queries").asInt());
        Run read = Run.readTrec(run);
        assertEquals(10, read.size());
        read.queryIds().forEach(q -> assertEquals(5, read.ranking(q).size()));
        String firstLine = Files.readAllLines(run).getFirst();
        assertTrue(firstLine.matches("q1 Q0 p\\d+ 1 \\S+ ranker4j-dense"), firstLine);
    }

    @Test
    void rerankWithEachModelKind() throws Exception {
        Path firstStage = Files.writeString(dir.resolve("first.trec"), """
                q1 Q0 p30 1 3.0 bm25
                q1 Q0 p1 2 2.0 bm25
                q1 Q0 p2 3 1.0 bm25
                q1 Q0 p9 4 0.5 bm25
                q5 Q0 p19 1 1.0 bm25
                """);
        Path crossEncoder = TinyModels.crossEncoder(Files.createDirectory(dir.resolve("ce")));
        Path colbert = TinyModels.colbert(Files.createDirectory(dir.resolve("colbert")));
        for (String[] kind : new String[][] {{"cross_encoder", crossEncoder.toString()},
                {"colbert", colbert.toString()}, {"dual_encoder", encoder.toString()}}) {
            Path output = dir.resolve(kind[0] + ".trec");
            CliRun result = CliRun.of("rerank", "--run", firstStage.toString(), "--queries",
                    sample.resolve("queries.jsonl").toString(), "--corpus", sample.resolve("corpus.jsonl").toString(),
                    "--model", kind[1], "--kind", kind[0], "--depth", "3", "--batch-size", "2", "--output",
                    output.toString(), "--quiet");
            assertEquals(0, result.exitCode(), kind[0] + ": " + result.err());
            Run reranked = Run.readTrec(output);
            assertEquals(List.of("p1", "p2", "p30"), reranked.ranking("q1").stream().map(ScoredDoc::docId).sorted()
                    .toList(), "only the top 3 are re-ranked");
            assertEquals(1, reranked.ranking("q5").size());
        }
        // The cross-encoder run holds exactly the model's scores.
        var scorer = new CrossEncoderScorer(WordPieceTokenizer.fromDirectory(crossEncoder),
                CrossEncoder.load(crossEncoder, DType.F32, 0), 256);
        float expected = scorer.score("how do plants make food from sunlight", List.of("The Roman Empire The Roman"
                + " Empire ruled the Mediterranean for centuries; the western half fell in 476."))[0];
        double actual = Run.readTrec(dir.resolve("cross_encoder.trec")).ranking("q1").stream()
                .filter(d -> d.docId().equals("p30")).findFirst().orElseThrow().score();
        assertEquals(expected, actual, 1e-5);
        // A ColBERT scorer cuts a list into forward passes of its batch size: one document per pass scores as one pass.
        List<String> passages = List.of("plants make food", "The Roman Empire ruled the Mediterranean for centuries",
                "sunlight", "photosynthesis turns light into sugar in the leaves of plants");
        float[] oneByOne = colbertScorer(colbert, 1).score("how do plants make food", passages);
        float[] together = colbertScorer(colbert, 64).score("how do plants make food", passages);
        assertEquals(passages.size(), oneByOne.length);
        for (int i = 0; i < passages.size(); i++) assertEquals(together[i], oneByOne[i], 1e-5, "passage " + i);
    }

    private static ColbertScorer colbertScorer(Path model, int batchSize) throws Exception {
        return new ColbertScorer(WordPieceTokenizer.fromDirectory(model), Colbert.load(model, DType.F32),
                ColbertInputs.BERT_UNCASED, 32, 64, batchSize);
    }

    @Test
    void quickstartOnTheBuiltInSampleEndsWithMetricsJson() throws Exception {
        CliRun result = CliRun.of("quickstart", "--model", encoder.toString(), "--quiet");
        assertEquals(0, result.exitCode(), result.err());
        JsonNode json = JSON.readTree(result.lastLine());
        for (String key : List.of("ndcg@10", "mrr@10", "recall@100", "encode_s", "docs_per_s")) {
            assertTrue(json.has(key), result.lastLine());
        }
        assertEquals(10, json.get("num_q").asInt());
        assertEquals(36, json.get("num_docs").asInt());
        // Every query's 36 documents are retrieved (k = 100), so every relevant one is found.
        assertEquals(1.0, json.get("recall@100").asDouble(), 1e-9);
        assertTrue(result.out().contains("query q1: how do plants make food from sunlight"), result.out());

        CliRun withData = CliRun.of("quickstart", "--data", sample.toString(), "--model", encoder.toString(), "--quiet");
        assertEquals(0, withData.exitCode(), withData.err());
        assertEquals(json.get("ndcg@10").asDouble(), JSON.readTree(withData.lastLine()).get("ndcg@10").asDouble(), 1e-9);
    }

    @Test
    void failuresAreOneLineWithANonZeroExit() throws Exception {
        Path notVectors = Files.writeString(dir.resolve("bad.vec"), "not a vector file at all, just some text here");
        CliRun search = CliRun.of("search", "--queries", notVectors.toString(), "--docs", notVectors.toString(),
                "--output", dir.resolve("run").toString());
        assertEquals(1, search.exitCode());
        assertEquals(1, search.err().strip().lines().count(), search.err());
        assertTrue(search.err().contains("bad.vec: field 'magic'"), search.err());

        CliRun quickstart = CliRun.of("quickstart", "--data", dir.toString(), "--model", encoder.toString(), "--quiet");
        assertEquals(1, quickstart.exitCode());
        assertTrue(quickstart.err().contains("test.tsv: no such file"), quickstart.err());

        CliRun encodeMissing = CliRun.of("encode", "--model", encoder.toString(), "--input",
                dir.resolve("none.jsonl").toString(), "--output", dir.resolve("x.vec").toString());
        assertEquals(1, encodeMissing.exitCode());
        assertTrue(encodeMissing.err().contains("none.jsonl"), encodeMissing.err());
    }

    @Test
    void everyCommandHasHelp() {
        for (String command : List.of("encode", "search", "rerank", "mine-negatives", "quickstart")) {
            CliRun help = CliRun.of(command, "--help");
            assertEquals(0, help.exitCode(), command);
            assertTrue(help.out().contains("Usage: ranker4j " + command), help.out());
        }
    }
}
