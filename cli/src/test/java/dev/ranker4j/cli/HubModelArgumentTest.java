package dev.ranker4j.cli;

import dev.ranker4j.testkit.FakeHub;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --model ORG/NAME} through the Hugging Face Hub, against the loopback {@link FakeHub}. The Hub settings come
 * from the environment (HF_ENDPOINT, HF_HUB_CACHE, HF_HUB_OFFLINE), so each run is a child JVM with its own
 * environment, the same classpath and the build's JVM flags.
 */
class HubModelArgumentTest {
    @TempDir
    Path dir;

    private record Result(int exitCode, String out) {}

    private Result ranker4j(Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
                Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(process.waitFor(), out);
    }

    @Test
    void encodeDownloadsTheModelOnceAndThenWorksOffline() throws Exception {
        Path model = TinyModels.sentenceEncoder(Files.createDirectory(dir.resolve("model")));
        Path sample = TinyModels.sample(Files.createDirectory(dir.resolve("sample")));
        Path cache = dir.resolve("hub-cache");
        try (FakeHub hub = new FakeHub()) {
            for (String file : List.of("config.json", "model.safetensors", "vocab.txt")) {
                hub.put("acme/tiny-bert", file, Files.readAllBytes(model.resolve(file)), file.endsWith(".safetensors"));
            }
            Map<String, String> online = Map.of("HF_ENDPOINT", hub.endpoint().toString(), "HF_HUB_CACHE", cache.toString());
            Result encoded = ranker4j(online, "encode", "--model", "acme/tiny-bert@main", "--input",
                    sample.resolve("queries.jsonl").toString(), "--kind", "queries", "--output",
                    dir.resolve("q.vec").toString(), "--quiet");
            assertEquals(0, encoded.exitCode(), encoded.out());
            assertTrue(encoded.out().contains("\"count\":10"), encoded.out());
            assertTrue(Files.isRegularFile(cache.resolve("models--acme--tiny-bert/snapshots").resolve(FakeHub.COMMIT)
                    .resolve("model.safetensors")));
        }
        // The hub is gone: offline mode answers from the cache.
        Map<String, String> offline = Map.of("HF_HUB_OFFLINE", "1", "HF_HUB_CACHE", cache.toString());
        Result again = ranker4j(offline, "encode", "--model", "acme/tiny-bert", "--input",
                sample.resolve("queries.jsonl").toString(), "--kind", "queries", "--output",
                dir.resolve("q2.vec").toString(), "--quiet");
        assertEquals(0, again.exitCode(), again.out());
        assertTrue(again.out().contains("\"count\":10"), again.out());

        Result missing = ranker4j(offline, "encode", "--model", "acme/other", "--input",
                sample.resolve("queries.jsonl").toString(), "--output", dir.resolve("x.vec").toString(), "--quiet");
        assertEquals(1, missing.exitCode());
        String lastLine = missing.out().strip().lines().reduce((first, second) -> second).orElse("");
        assertTrue(lastLine.startsWith("ranker4j encode: acme/other: not a directory, and not available from the Hub"),
                missing.out());
    }
}
