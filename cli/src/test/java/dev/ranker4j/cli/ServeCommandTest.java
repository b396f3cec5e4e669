package dev.ranker4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ranker4j serve} in its own JVM: it prints where it listens, answers the acceptance requests, and on SIGTERM
 * finishes the request it holds before exiting (the shutdown hook). The request is held by a long --max-wait-ms (the
 * batcher waiting for company), which the shutdown cuts short.
 */
class ServeCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void servesAndDrainsOnSigterm() throws Exception {
        Path model = TinyModels.sentenceEncoder(Files.createDirectory(dir.resolve("de")));
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx512m",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "serve", "--model", model.toString(),
                "--kind", "dual_encoder", "--host", "127.0.0.1", "--port", "0", "--max-wait-ms", "20000");
        Process process = new ProcessBuilder(command).redirectError(dir.resolve("stderr.txt").toFile()).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            JsonNode started = JSON.readTree(out.readLine());
            URI base = URI.create(started.get("listening").asText());
            assertEquals("dual_encoder", started.get("kind").asText());
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

            // The acceptance requests (malformed JSON sent as curl -d sends it: a form content type).
            assertEquals(200, client.send(post(base, "/embed", "{\"inputs\":[\"what is deep learning\"]}", "application/json"),
                    HttpResponse.BodyHandlers.ofString()).statusCode());
            var ranked = client.send(post(base, "/rerank", "{\"query\":\"q\",\"texts\":[\"a\",\"b\"]}", "application/json"),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(2, JSON.readTree(ranked.body()).size(), ranked.body());
            assertEquals(400, client.send(post(base, "/embed", "{bad", "application/x-www-form-urlencoded"),
                    HttpResponse.BodyHandlers.ofString()).statusCode());

            // A request the batcher holds (waiting up to 20 s for company), then SIGTERM.
            CompletableFuture<HttpResponse<String>> held = client.sendAsync(post(base, "/embed",
                    "{\"inputs\":\"held\"}", "application/json"), HttpResponse.BodyHandlers.ofString());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!client.send(HttpRequest.newBuilder(base.resolve("/metrics")).build(), HttpResponse.BodyHandlers.ofString())
                    .body().contains("ranker4j_requests_in_flight 2")) { // the held request and this scrape
                assertTrue(System.nanoTime() < deadline, "the held request never arrived");
                Thread.sleep(20);
            }
            long signalled = System.nanoTime();
            process.destroy(); // SIGTERM
            HttpResponse<String> answer = held.get(15, TimeUnit.SECONDS);
            assertEquals(200, answer.statusCode(), answer.body());
            assertEquals(16, JSON.readTree(answer.body()).get(0).size());
            assertTrue(process.waitFor(15, TimeUnit.SECONDS), "the server exits after draining");
            assertTrue(System.nanoTime() - signalled < TimeUnit.SECONDS.toNanos(10), "the drain cut the batcher's wait short");
            assertEquals(143, process.exitValue(), "terminated by SIGTERM after the shutdown hook");
            String stderr = Files.readString(dir.resolve("stderr.txt"));
            assertTrue(stderr.contains("shutting down, draining 1 request(s) in flight"), stderr);
            assertTrue(stderr.contains("ranker4j serve: stopped\n"), stderr);
        } finally {
            process.destroyForcibly();
        }
    }

    private static HttpRequest post(URI base, String path, String body, String contentType) {
        return HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", contentType).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }
}
