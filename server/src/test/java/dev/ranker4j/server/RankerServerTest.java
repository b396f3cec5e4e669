package dev.ranker4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ranker4j.api.Embedder;
import dev.ranker4j.api.EmbedderOptions;
import dev.ranker4j.api.Reranker;
import dev.ranker4j.api.RerankerOptions;
import dev.ranker4j.api.TinyRankers;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The server through real HTTP on a loopback port, with tiny random models: every route, TEI's shapes, the scores and
 * vectors the API gives, every error class, and many clients at once.
 */
class RankerServerTest {
    @TempDir
    static Path dir;
    static Path dualEncoder;
    static Path crossEncoder;
    static RankerServer dual;
    static RankerServer cross;
    static HttpClientForTests dualHttp;
    static HttpClientForTests crossHttp;

    static final ServerOptions OPTIONS = ServerOptions.defaults().withAddress("127.0.0.1", 0)
            .withBatching(64, java.time.Duration.ofMillis(20), 128).withLimits(8, 4096, false);

    @BeforeAll
    static void start() throws Exception {
        dualEncoder = TinyRankers.dualEncoder(Files.createDirectory(dir.resolve("de")));
        crossEncoder = TinyRankers.crossEncoder(Files.createDirectory(dir.resolve("ce")));
        dual = RankerServer.start(ServedModel.load(dualEncoder.toString(), null, 32, 32, 4, 0), OPTIONS, System.err);
        cross = RankerServer.start(ServedModel.load(crossEncoder.toString(), null, 32, 32, 4, 0), OPTIONS, System.err);
        dualHttp = new HttpClientForTests(dual.uri());
        crossHttp = new HttpClientForTests(cross.uri());
    }

    @AfterAll
    static void stop() {
        dual.close();
        cross.close();
    }

    @Test
    void healthInfoAndMetrics() throws Exception {
        assertEquals(200, dualHttp.get("/health").status());
        JsonNode info = dualHttp.get("/info").json();
        assertEquals(dualEncoder.toString(), info.get("model_id").asText());
        assertEquals("float32", info.get("model_dtype").asText());
        assertEquals("mean", info.at("/model_type/embedding/pooling").asText());
        assertEquals("dual_encoder", info.get("kind").asText());
        assertEquals(32, info.get("max_input_length").asInt());
        assertEquals("cpu", info.get("backend").asText());
        assertEquals("cross_encoder", crossHttp.get("/info").json().get("kind").asText());
        assertTrue(crossHttp.get("/info").json().at("/model_type/reranker").isObject());

        dualHttp.post("/embed", "{\"inputs\": \"abc\"}");
        // A request is counted once its exchange is closed, which may be just after the client has the answer: on a
        // loaded machine the next /metrics can come first, so wait (up to 5 s) until the /embed request is counted.
        var metrics = dualHttp.get("/metrics");
        for (int wait = 0; wait < 100 && !metrics.body().contains("ranker4j_requests_total{route=\"/embed\""); wait++) {
            Thread.sleep(50);
            metrics = dualHttp.get("/metrics");
        }
        assertEquals(200, metrics.status());
        assertTrue(metrics.contentType().startsWith("text/plain; version=0.0.4"), metrics.contentType());
        for (String line : List.of("# TYPE ranker4j_requests_total counter", "ranker4j_requests_total{route=\"/embed\",status=\"200\"}",
                "# TYPE ranker4j_request_duration_seconds histogram", "ranker4j_request_duration_seconds_bucket{route=\"/embed\",le=\"+Inf\"}",
                "ranker4j_batch_items_bucket{le=\"1\"}", "ranker4j_queue_depth 0", "ranker4j_queue_capacity 128",
                "ranker4j_inference_duration_seconds_count", "ranker4j_items_total{route=\"/embed\"}")) {
            assertTrue(metrics.body().contains(line), "metrics lack " + line + ":\n" + metrics.body());
        }
    }

    /** /embed: one string or several; unit vectors unless "normalize": false, which gives the Embedder's vectors. */
    @Test
    void embedGivesTheEmbeddersVectors() throws Exception {
        List<String> texts = TinyRankers.texts(5, 21);
        try (Embedder embedder = Embedder.load(dualEncoder, EmbedderOptions.defaults().withMaxLength(32).withBatchSize(4))) {
            float[][] expected = embedder.embed(texts);
            JsonNode raw = dualHttp.post("/embed", body("inputs", texts) + ", \"normalize\": false, \"truncate\": true}").json();
            JsonNode unit = dualHttp.post("/embed", body("inputs", texts) + ", \"truncate\": true}").json();
            assertEquals(texts.size(), raw.size());
            for (int i = 0; i < texts.size(); i++) {
                assertEquals(16, raw.get(i).size());
                double norm = 0;
                for (int j = 0; j < 16; j++) {
                    assertEquals(expected[i][j], raw.get(i).get(j).floatValue(), 1e-6, "text " + i);
                    norm += Math.pow(unit.get(i).get(j).doubleValue(), 2);
                }
                assertEquals(1, Math.sqrt(norm), 1e-6);
            }
            JsonNode one = dualHttp.post("/embed", "{\"inputs\": \"" + texts.getFirst() + "\", \"normalize\": false, \"truncate\": true}").json();
            assertEquals(1, one.size(), one.toString());
            assertEquals(expected[0][3], one.get(0).get(3).floatValue(), 1e-6);
        }
    }

    /** /rerank on a dual encoder: cosine similarities, best first, with the text on request. */
    @Test
    void rerankWithADualEncoderRanksByCosine() throws Exception {
        List<String> texts = TinyRankers.texts(6, 22);
        try (Reranker reranker = Reranker.load(dualEncoder, RerankerOptions.defaults().withMaxLength(32).withQueryMaxLength(32).withBatchSize(4))) {
            float[] expected = reranker.score("plants need light", texts);
            JsonNode ranked = dualHttp.post("/rerank", "{\"query\": \"plants need light\", " + body("texts", texts).substring(1)
                    + ", \"return_text\": true, \"truncate\": true}").json();
            checkRanking(ranked, expected, texts, false);
        }
    }

    /** /rerank on a cross-encoder: sigmoid of the logit, or the logit with "raw_scores"; /embed is refused. */
    @Test
    void rerankWithACrossEncoder() throws Exception {
        List<String> texts = TinyRankers.texts(7, 23);
        try (Reranker reranker = Reranker.load(crossEncoder, RerankerOptions.defaults().withMaxLength(32).withBatchSize(4))) {
            float[] logits = reranker.score("plants need light", texts);
            String request = "{\"query\": \"plants need light\", " + body("texts", texts).substring(1) + ", \"truncate\": true";
            checkRanking(crossHttp.post("/rerank", request + ", \"raw_scores\": true}").json(), logits, texts, true);
            float[] probabilities = new float[logits.length];
            for (int i = 0; i < logits.length; i++) probabilities[i] = (float) (1 / (1 + Math.exp(-logits[i])));
            JsonNode ranked = crossHttp.post("/rerank", request + "}").json();
            checkRanking(ranked, probabilities, texts, true);
            assertTrue(!ranked.get(0).has("text"), "no text unless return_text");
        }
        var embed = crossHttp.post("/embed", "{\"inputs\": \"abc\"}");
        assertEquals(400, embed.status());
        assertTrue(embed.json().get("error").asText().contains("does not embed"), embed.body());
    }

    private static void checkRanking(JsonNode ranked, float[] expected, List<String> texts, boolean textOptional) {
        assertEquals(expected.length, ranked.size());
        for (int r = 0; r < ranked.size(); r++) {
            int index = ranked.get(r).get("index").asInt();
            assertEquals(expected[index], ranked.get(r).get("score").floatValue(), 1e-5, "rank " + r);
            if (r > 0) assertTrue(ranked.get(r - 1).get("score").floatValue() >= ranked.get(r).get("score").floatValue());
            if (!textOptional) assertEquals(texts.get(index), ranked.get(r).get("text").asText());
        }
    }

    /** Every error class: its status, and a JSON body with the message and TEI's error_type. */
    @Test
    void everyErrorClassHasItsStatusAndAJsonBody() throws Exception {
        String longText = "a ".repeat(40).strip();
        Object[][] cases = {
                {"/embed", "{bad", "application/x-www-form-urlencoded", 400, "Malformed", "malformed JSON"},
                {"/rerank", "{\"query\": \"q\", \"texts\": [\"a\"]} trailing", "application/json", 400, "Malformed", "malformed JSON"},
                {"/embed", "", "application/json", 400, "Malformed", "empty body"},
                {"/embed", "{\"inputs\": []}", "application/json", 400, "Empty", "cannot be empty"},
                {"/rerank", "{\"texts\": [\"a\"]}", "application/json", 422, "Unprocessable", "missing field `query`"},
                {"/rerank", "{\"query\": \"q\"}", "application/json", 422, "Unprocessable", "missing field `texts`"},
                {"/embed", "{\"input\": \"a\"}", "application/json", 422, "Unprocessable", "missing field `inputs`"},
                {"/rerank", "{\"query\": \"q\", \"texts\": [\"a\", 3]}", "application/json", 422, "Unprocessable", "`texts[1]` must be a string"},
                {"/embed", "{\"inputs\": \"a\", \"normalize\": \"yes\"}", "application/json", 422, "Unprocessable", "`normalize` must be true or false"},
                {"/embed", "[\"a\"]", "application/json", 422, "Unprocessable", "expected a JSON object"},
                {"/embed", "{\"inputs\": \"a\", \"truncation_direction\": \"Left\"}", "application/json", 422, "Unprocessable", "truncation_direction"},
                {"/embed", body("inputs", List.of("a", "b", "c", "d", "e", "f", "g", "h", "i")) + "}", "application/json", 413, "Validation", "more than the maximum of 8"},
                {"/embed", "{\"inputs\": \"" + "x".repeat(5000) + "\"}", "application/json", 413, "Validation", "larger than the limit of 4096 bytes"},
                {"/embed", "{\"inputs\": \"" + longText + "\"}", "application/json", 413, "Validation", "input 0 has 42 tokens, more than the maximum of 32"},
                {"/rerank", "{\"query\": \"q\", \"texts\": [\"b\", \"" + longText + "\"]}", "application/json", 413, "Validation", "input 1 has 42 tokens"},
                {"/nowhere", "{}", "application/json", 404, "NotFound", "no route POST /nowhere"},
        };
        for (Object[] c : cases) {
            var answer = dualHttp.post((String) c[0], (String) c[1], (String) c[2]);
            String what = c[0] + " " + c[1].toString().substring(0, Math.min(60, c[1].toString().length()));
            assertEquals(c[3], answer.status(), what + ": " + answer.body());
            assertEquals("application/json", answer.contentType(), what);
            assertEquals(c[4], answer.json().get("error_type").asText(), what);
            assertTrue(answer.json().get("error").asText().contains((String) c[5]), what + ": " + answer.body());
        }
        assertEquals(405, dualHttp.get("/rerank").status());
        assertEquals(404, dualHttp.get("/").status());
        // "truncate": true reads what fits instead.
        assertEquals(200, dualHttp.post("/embed", "{\"inputs\": \"" + longText + "\", \"truncate\": true}").status());
        // Odd input: a lone surrogate is read as text; JSON nested 1500 deep is refused, not recursed into.
        assertEquals(200, dualHttp.post("/embed", "{\"inputs\": \"a \\ud800 b\"}").status());
        var deep = dualHttp.post("/embed", "[".repeat(1500) + "]".repeat(1500));
        assertEquals(400, deep.status(), deep.body());
        // And the server is still serving.
        assertEquals(200, dualHttp.post("/rerank", "{\"query\": \"q\", \"texts\": [\"a\"]}").status());
        assertTrue(dual.answered("/embed", 413) >= 3);
    }

    /** 32 clients at once: every request answered 200 with its own result, and requests shared batching rounds. */
    @Test
    void concurrentClientsAreBatchedTogether() throws Exception {
        List<String> texts = TinyRankers.texts(32, 24);
        float[][] alone = new float[texts.size()][];
        for (int i = 0; i < texts.size(); i++) {
            alone[i] = floats(dualHttp.post("/embed", "{\"inputs\": \"" + texts.get(i) + "\", \"normalize\": false, \"truncate\": true}").json().get(0));
        }
        long roundsBefore = batchRounds();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<HttpClientForTests.Answer>> answers = new ArrayList<>();
            for (int round = 0; round < 3; round++) {
                for (String text : texts) {
                    answers.add(clients.submit(() -> dualHttp.post("/embed",
                            "{\"inputs\": \"" + text + "\", \"normalize\": false, \"truncate\": true}")));
                }
            }
            for (int i = 0; i < answers.size(); i++) {
                var answer = answers.get(i).get();
                assertEquals(200, answer.status(), answer.body());
                float[] vector = floats(answer.json().get(0));
                for (int j = 0; j < vector.length; j++) assertEquals(alone[i % texts.size()][j], vector[j], 1e-5, "request " + i);
            }
        }
        long rounds = batchRounds() - roundsBefore;
        assertTrue(rounds < 3L * texts.size(), "96 requests took " + rounds + " rounds: none were batched together");
    }

    private static long batchRounds() throws Exception {
        for (String line : dualHttp.get("/metrics").body().split("\n")) {
            if (line.startsWith("ranker4j_batch_requests_count ")) return Long.parseLong(line.split(" ")[1]);
        }
        throw new AssertionError("no ranker4j_batch_requests_count");
    }

    private static float[] floats(JsonNode array) {
        float[] out = new float[array.size()];
        for (int i = 0; i < out.length; i++) out[i] = array.get(i).floatValue();
        return out;
    }

    /** {@code {"field": ["t1", ...]} } without its closing brace, so callers can add fields. */
    static String body(String field, List<String> texts) {
        try {
            String json = HttpClientForTests.JSON.writeValueAsString(java.util.Map.of(field, texts));
            return json.substring(0, json.length() - 1);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
