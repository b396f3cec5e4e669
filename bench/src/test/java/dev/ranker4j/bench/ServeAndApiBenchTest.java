package dev.ranker4j.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ranker4j.api.TinyRankers;
import dev.ranker4j.cli.Main;
import picocli.CommandLine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code bench serve} and {@code bench api} run end to end on a tiny cross-encoder, in seconds. */
class ServeAndApiBenchTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void benchServeReportsThroughputLatencyAndNoErrors() throws Exception {
        Path model = TinyRankers.crossEncoder(Files.createDirectory(dir.resolve("ce")));
        // A 2 s warm-up: on a loaded 2-core machine the server's first answers (cold JIT) took longer than a 0.5 s
        // warm-up plus the 2 s window, and the window then counted no request.
        JsonNode line = run("serve", "--model", model.toString(), "--clients", "4", "--seconds", "2", "--warmup", "2",
                "--api-seconds", "0.5", "--passages", "5", "--tokens", "24", "--bad-per-s", "10", "--server-heap", "256m");
        assertEquals("serve", line.get("op").asText());
        assertEquals(0, line.get("errors").asInt(), line.toString());
        assertTrue(line.get("requests").asInt() > 0, line.toString());
        assertTrue(line.get("deliberate_errors").get("sent").asInt() > 0, line.toString());
        assertEquals(line.get("deliberate_errors").get("sent"), line.get("deliberate_errors").get("as_expected"));
        assertTrue(line.at("/latency_ms/p99").asDouble() >= line.at("/latency_ms/p50").asDouble());
        assertEquals(5, line.at("/shape/passages_per_request").asInt());
        assertTrue(line.get("api_pairs_per_s").asDouble() > 0);
        assertTrue(line.get("server_rss_peak_mb").asDouble() > 0);
        assertEquals(143, line.get("exit_code").asInt(), "the server drained and exited on SIGTERM");
    }

    @Test
    void benchApiComparesTheApiWithTheModel() throws Exception {
        Path model = TinyRankers.crossEncoder(Files.createDirectory(dir.resolve("ce")));
        JsonNode line = run("api", "--model", model.toString(), "--passages", "10", "--tokens", "96", "--batch", "4",
                "--warmup", "1", "--rounds", "1");
        assertEquals("api-rerank", line.get("op").asText());
        for (String field : new String[] {"forward_pairs_per_s", "model_pairs_per_s", "api_pairs_per_s"}) {
            assertTrue(line.get(field).asDouble() > 0, line.toString());
        }
        assertEquals(96, line.at("/shape/tokens_per_pair").asInt());
    }

    /** Runs a bench subcommand in-process and returns its JSON line. */
    private static JsonNode run(String... args) throws Exception {
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        int exit;
        try {
            exit = Main.reportErrorsInOneLine(new CommandLine(new BenchMain())).execute(args);
        } finally {
            System.setOut(out);
        }
        String printed = captured.toString(StandardCharsets.UTF_8).strip();
        assertEquals(0, exit, printed);
        String[] lines = printed.split("\n");
        return JSON.readTree(lines[lines.length - 1]);
    }
}
