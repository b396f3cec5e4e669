package dev.ranker4j.tests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ranker4j.cli.Main;
import dev.ranker4j.testkit.SharedData;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Acceptance: all-MiniLM-L6-v2 on BEIR SciFact test (300 queries, 5,183 documents), text = title + " " + text, at most
 * 256 tokens, mean pooling, cosine, exact search, gives the MTEB leaderboard's nDCG@10 = 0.6451 (reproduced with ONNX
 * Runtime on this machine), within ±0.002. Runs exactly what {@code ranker4j quickstart --data DIR --model DIR}
 * runs. Encodes the whole corpus with the pure-Java model, so it takes minutes of CPU (12 on a 2-core AVX2 machine):
 * it runs with {@code mvn -B verify -Pacceptance}, not in the default build (the experiments reproduce the same figure
 * as the dense first stage of every result JSON, docs/RESULTS.md).
 */
class SciFactDenseAcceptanceTest {
    @Test
    void allMiniLmL6V2ReproducesTheMtebNdcgAt10() throws Exception {
        Path data = SharedData.require("data/scifact");
        Path model = SharedData.require("models/all-MiniLM-L6-v2");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute("quickstart", "--data", data.toString(), "--model", model.toString(), "--quiet");
        assertEquals(0, exit, err.toString());
        String[] lines = out.toString().strip().split("\n");
        JsonNode metrics = new ObjectMapper().readTree(lines[lines.length - 1]);
        System.out.println("SciFact quickstart: " + lines[lines.length - 1]);
        assertEquals(300, metrics.get("num_q").asInt());
        assertEquals(5183, metrics.get("num_docs").asInt());
        assertEquals(0.6451, metrics.get("ndcg@10").asDouble(), 0.002, lines[lines.length - 1]);
    }
}
