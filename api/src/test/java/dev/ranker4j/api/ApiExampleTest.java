package dev.ranker4j.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** examples/api/RerankAndEmbed.java (compiled with these tests) runs with a cross-encoder and a dual encoder. */
class ApiExampleTest {
    @TempDir
    Path dir;

    @Test
    void theExampleRuns() throws Exception {
        Path crossEncoder = TinyRankers.crossEncoder(Files.createDirectory(dir.resolve("ce")));
        Path dualEncoder = TinyRankers.dualEncoder(Files.createDirectory(dir.resolve("de")));
        String withCrossEncoder = run(crossEncoder.toString(), dualEncoder.toString());
        assertTrue(withCrossEncoder.startsWith("reranker: cross_encoder\n"), withCrossEncoder);
        assertTrue(withCrossEncoder.contains("dimension: 16"), withCrossEncoder);
        assertTrue(withCrossEncoder.lines().filter(l -> l.startsWith("cosine")).count() == 3, withCrossEncoder);
        String withDualEncoder = run(dualEncoder.toString());
        assertTrue(withDualEncoder.startsWith("reranker: dual_encoder\n"), withDualEncoder);
        assertTrue(withDualEncoder.lines().filter(l -> l.startsWith("scores: [")).count() == 2, withDualEncoder);
    }

    /** The example is in the unnamed package (so that {@code java RerankAndEmbed.java} runs it): reached by name. */
    private static String run(String... args) throws Exception {
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            Class.forName("RerankAndEmbed").getMethod("main", String[].class).invoke(null, (Object) args);
        } finally {
            System.setOut(out);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
