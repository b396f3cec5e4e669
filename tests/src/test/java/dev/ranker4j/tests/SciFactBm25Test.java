package dev.ranker4j.tests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ranker4j.cli.Main;
import dev.ranker4j.testkit.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Acceptance: BM25 on BEIR SciFact reproduces Anserini's regression {@code beir-v1.0.0-scifact.flat} (flat BEIR
 * collection, default English analysis, {@code -bm25 -removeQuery -hits 1000}; trec_eval {@code -c}): an index of
 * 5,183 documents and 838,128 terms, and on the 300 test queries nDCG@10 = 0.6789, R@100 = 0.9253, R@1000 = 0.9767,
 * within ±0.001, through our own {@code index}, {@code search} and {@code eval} commands. Takes seconds.
 */
class SciFactBm25Test {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static JsonNode run(String... args) throws Exception {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        assertEquals(0, cli.execute(args), String.join(" ", args) + ": " + err);
        String[] lines = out.toString().strip().split("\n");
        return JSON.readTree(lines[lines.length - 1]);
    }

    @Test
    void bm25ReproducesAnserinisSciFactRegression() throws Exception {
        Path data = SharedData.require("data/scifact");
        Path index = dir.resolve("sf-bm25"), run = dir.resolve("sf-bm25.trec");
        String qrels = data.resolve("qrels/test.tsv").toString();

        JsonNode stats = run("index", "bm25", "--corpus", data.resolve("corpus.jsonl").toString(), "--output",
                index.toString(), "--quiet");
        System.out.println("SciFact BM25 index: " + stats);
        assertEquals(5183, stats.get("documents").asInt());
        assertEquals(838128, stats.get("total_terms").asLong());

        JsonNode searched = run("search", "--index", index.toString(), "--queries",
                data.resolve("queries.jsonl").toString(), "--qrels", qrels, "-k", "1000", "--output", run.toString(),
                "--quiet");
        System.out.println("SciFact BM25 search: " + searched);
        assertEquals(300, searched.get("queries").asInt());

        JsonNode metrics = run("eval", "--qrels", qrels, "--run", run.toString(), "--metrics",
                "ndcg@10,recall@100,recall@1000", "--complete");
        System.out.println("SciFact BM25: " + metrics);
        assertEquals(300, metrics.get("num_q").asInt());
        assertEquals(0.6789, metrics.get("ndcg@10").asDouble(), 0.001);
        assertEquals(0.9253, metrics.get("recall@100").asDouble(), 0.001);
        assertEquals(0.9767, metrics.get("recall@1000").asDouble(), 0.001);
    }
}
