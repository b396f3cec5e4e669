package dev.ranker4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ranker4j.ir.data.Run;
import dev.ranker4j.ir.data.ScoredDoc;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code index bm25|hnsw|flat} and {@code search --index} end to end, in-process, on the quickstart sample with a tiny
 * encoder; the first stage from an index in {@code rerank}, {@code mine-negatives} and {@code quickstart}.
 */
class IndexCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path shared;
    static Path encoder;
    static Path sample;
    static Path docs;
    static Path queries;

    @TempDir
    Path dir;

    @BeforeAll
    static void models() throws Exception {
        encoder = TinyModels.sentenceEncoder(Files.createDirectory(shared.resolve("encoder")));
        sample = TinyModels.sample(Files.createDirectory(shared.resolve("sample")));
        docs = shared.resolve("docs.vec");
        queries = shared.resolve("queries.vec");
        for (String[] input : new String[][] {{"corpus", "corpus.jsonl", docs.toString()},
                {"queries", "queries.jsonl", queries.toString()}}) {
            CliRun encoded = CliRun.of("encode", "--model", encoder.toString(), "--input",
                    sample.resolve(input[1]).toString(), "--kind", input[0], "--output", input[2], "--normalize",
                    "--quiet");
            assertEquals(0, encoded.exitCode(), encoded.err());
        }
    }

    private static CliRun ok(String... args) {
        CliRun result = CliRun.of(args);
        assertEquals(0, result.exitCode(), String.join(" ", args) + ": " + result.err());
        return result;
    }

    private static CliRun failing(String... args) {
        CliRun result = CliRun.of(args);
        assertEquals(1, result.exitCode(), String.join(" ", args) + ": " + result.out());
        assertEquals(1, result.err().strip().lines().count(), result.err());
        return result;
    }

    private Path bm25Index() {
        Path index = dir.resolve("bm25");
        ok("index", "bm25", "--corpus", sample.resolve("corpus.jsonl").toString(), "--output", index.toString(),
                "--quiet");
        return index;
    }

    private static List<String> ids(Run run, String query) {
        return run.ranking(query).stream().map(ScoredDoc::docId).toList();
    }

    @Test
    void bm25IndexReportsItsStatisticsAndSearchWritesARun() throws Exception {
        Path index = dir.resolve("bm25");
        CliRun built = ok("index", "bm25", "--corpus", sample.resolve("corpus.jsonl").toString(), "--output",
                index.toString(), "--threads", "2", "--quiet");
        JsonNode stats = JSON.readTree(built.lastLine());
        assertEquals(36, stats.get("documents").asInt());
        assertEquals("lucene-standard+possessive+lowercase+stop:lucene-english+porter", stats.get("analyzer").asText());
        assertTrue(stats.get("total_terms").asLong() > stats.get("unique_terms").asLong(), built.lastLine());

        Path run = dir.resolve("bm25.trec");
        CliRun searched = ok("search", "--index", index.toString(), "--queries",
                sample.resolve("queries.jsonl").toString(), "-k", "5", "--output", run.toString(), "--quiet");
        JsonNode summary = JSON.readTree(searched.lastLine());
        assertEquals("bm25", summary.get("kind").asText());
        assertEquals(10, summary.get("queries").asInt());
        Run read = Run.readTrec(run);
        assertTrue(ids(read, "q1").contains("p1"), "photosynthesis answers how plants make food from sunlight");
        assertTrue(Files.readAllLines(run).getFirst().endsWith(" ranker4j-bm25"));

        // --qrels restricts the queries to the judged ones; eval reads the run.
        Path qrels = Files.writeString(dir.resolve("two.qrels"), "q1 0 p1 1\nq3 0 p5 1\n");
        ok("search", "--index", index.toString(), "--queries", sample.resolve("queries.jsonl").toString(), "--qrels",
                qrels.toString(), "--output", run.toString(), "--quiet");
        assertEquals(List.of("q1", "q3"), List.copyOf(Run.readTrec(run).queryIds()));
        ok("eval", "--qrels", qrels.toString(), "--run", run.toString());
    }

    @Test
    void vectorIndexesSearchLikeExactSearchAndEncodeQueriesLikeEncode() throws Exception {
        Path exactRun = dir.resolve("exact.trec");
        ok("search", "--docs", docs.toString(), "--queries", queries.toString(), "-k", "10", "--output",
                exactRun.toString());
        Run exact = Run.readTrec(exactRun);
        for (String[] kind : new String[][] {{"flat"}, {"hnsw"}, {"hnsw", "--int8"}}) {
            Path index = dir.resolve(String.join("", kind));
            List<String> args = new java.util.ArrayList<>(List.of("index"));
            args.addAll(List.of(kind));
            args.addAll(List.of("--vectors", docs.toString(), "--output", index.toString(), "--quiet"));
            JsonNode stats = JSON.readTree(ok(args.toArray(String[]::new)).lastLine());
            assertEquals(36, stats.get("documents").asInt());

            Path vectorRun = dir.resolve("vectors.trec");
            ok("search", "--index", index.toString(), "--queries", queries.toString(), "-k", "10", "--output",
                    vectorRun.toString(), "--quiet");
            Path textRun = dir.resolve("texts.trec");
            ok("search", "--index", index.toString(), "--model", encoder.toString(), "--queries",
                    sample.resolve("queries.jsonl").toString(), "-k", "10", "--output", textRun.toString(), "--quiet");
            // Encoding on the fly is the same computation as encode --normalize: the runs are identical.
            assertEquals(Files.readAllLines(vectorRun), Files.readAllLines(textRun), String.join(" ", kind));
            Run run = Run.readTrec(vectorRun);
            for (String query : exact.queryIds()) {
                if (kind.length == 1) {
                    assertEquals(ids(exact, query), ids(run, query), kind[0] + " " + query);
                } else {
                    assertEquals(ids(exact, query).getFirst(), ids(run, query).getFirst(), "int8 " + query);
                }
            }
        }
    }

    @Test
    void badIndexesAndMismatchedQueriesAreOneLineErrors() throws Exception {
        Path bm25 = bm25Index();
        Path hnsw = dir.resolve("hnsw");
        ok("index", "hnsw", "--vectors", docs.toString(), "--output", hnsw.toString(), "--quiet");
        Path run = dir.resolve("run.trec");
        String texts = sample.resolve("queries.jsonl").toString();

        Path empty = Files.createDirectory(dir.resolve("empty"));
        assertTrue(failing("search", "--index", empty.toString(), "--queries", texts, "--output", run.toString())
                .err().contains(empty + ": not a Lucene index"));
        assertTrue(failing("search", "--index", bm25.toString(), "--queries", queries.toString(), "--output",
                run.toString()).err().contains(queries + ": a vector file, but " + bm25 + " is a BM25 index"));
        assertTrue(failing("search", "--index", hnsw.toString(), "--queries", texts, "--output", run.toString())
                .err().contains(hnsw + " is a hnsw vector index: give query vectors"));
        assertTrue(failing("search", "--index", hnsw.toString(), "--queries", queries.toString(), "--similarity",
                "dot", "--output", run.toString()).err().contains(hnsw + ": was built for cosine similarity, not dot"));

        Path flat = dir.resolve("flat");
        ok("index", "flat", "--vectors", docs.toString(), "--output", flat.toString(), "--quiet");
        // A corrupted file is refused, naming it (a small index keeps its segment in one compound file).
        try (var files = Files.list(flat)) {
            Path victim = files.filter(f -> !f.getFileName().toString().startsWith("segments_"))
                    .max(java.util.Comparator.comparingLong(f -> f.toFile().length())).orElseThrow();
            byte[] bytes = Files.readAllBytes(victim);
            bytes[bytes.length / 3] ^= 0x11;
            Files.write(victim, bytes);
            String error = failing("search", "--index", flat.toString(), "--queries", queries.toString(),
                    "--output", run.toString()).err();
            assertTrue(error.contains(flat + ": corrupt index:") && error.contains(victim.getFileName()
                    .toString()), error);
        }
        assertFalse(Files.exists(run), "no run is written by a failed search");
    }

    @Test
    void rerankAndMineNegativesTakeTheFirstStageFromAnIndex() throws Exception {
        Path index = bm25Index();
        Path crossEncoder = TinyModels.crossEncoder(Files.createDirectory(dir.resolve("ce")));
        Path output = dir.resolve("reranked.trec");
        ok("rerank", "--index", index.toString(), "--queries", sample.resolve("queries.jsonl").toString(), "--corpus",
                sample.resolve("corpus.jsonl").toString(), "--model", crossEncoder.toString(), "--depth", "4",
                "--output", output.toString(), "--quiet");
        Path firstStage = dir.resolve("first.trec");
        ok("search", "--index", index.toString(), "--queries", sample.resolve("queries.jsonl").toString(), "-k", "4",
                "--output", firstStage.toString(), "--quiet");
        Run reranked = Run.readTrec(output), searched = Run.readTrec(firstStage);
        for (String query : searched.queryIds()) {
            assertEquals(ids(searched, query).stream().sorted().toList(), ids(reranked, query).stream().sorted().toList(),
                    "the re-ranked documents are the index's top 4 for " + query);
        }

        Path fromIndex = dir.resolve("lce-index.jsonl"), fromRun = dir.resolve("lce-run.jsonl");
        String qrels = sample.resolve("qrels/test.tsv").toString();
        ok("mine-negatives", "--sampler", "lce", "--qrels", qrels, "--index", index.toString(), "--depth", "10",
                "--negatives", "3", "--tokenizer", encoder.toString(), "--queries",
                sample.resolve("queries.jsonl").toString(), "--corpus", sample.resolve("corpus.jsonl").toString(),
                "--output", fromIndex.toString());
        ok("search", "--index", index.toString(), "--queries", sample.resolve("queries.jsonl").toString(), "--qrels",
                qrels, "-k", "10", "--output", firstStage.toString(), "--quiet");
        ok("mine-negatives", "--sampler", "lce", "--qrels", qrels, "--run", firstStage.toString(), "--depth", "10",
                "--negatives", "3", "--tokenizer", encoder.toString(), "--queries",
                sample.resolve("queries.jsonl").toString(), "--corpus", sample.resolve("corpus.jsonl").toString(),
                "--output", fromRun.toString());
        assertEquals(Files.readAllLines(fromRun), Files.readAllLines(fromIndex), "--index is the same as its run");

        assertTrue(failing("rerank", "--queries", sample.resolve("queries.jsonl").toString(), "--corpus",
                sample.resolve("corpus.jsonl").toString(), "--model", crossEncoder.toString(), "--output",
                output.toString()).err().contains("needs the first stage: --run FILE or --index DIR"));
    }

    @Test
    void quickstartReportsBm25BesideDense() throws Exception {
        CliRun result = ok("quickstart", "--data", sample.toString(), "--model", encoder.toString(), "--quiet");
        JsonNode bm25 = JSON.readTree(result.lastLine()).get("bm25");
        assertTrue(bm25 != null && bm25.has("ndcg@10") && bm25.has("recall@100"), result.lastLine());
        assertEquals(1.0, bm25.get("recall@100").asDouble(), 0.2, result.lastLine());
    }

    @Test
    void indexCommandsHaveHelp() {
        for (String kind : List.of("bm25", "hnsw", "flat")) {
            CliRun help = CliRun.of("index", kind, "--help");
            assertEquals(0, help.exitCode(), kind);
            assertTrue(help.out().contains("Usage: ranker4j index " + kind), help.out());
        }
    }
}
