package dev.ranker4j.server;

import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The queue, rounds, failures and shutdown, made deterministic with a {@link ScriptedModel} that holds its calls at a
 * gate: a full queue answers 429; a request the model fails on does not take down the requests batched with it;
 * shutdown answers new requests 503 and finishes the accepted ones.
 */
class BatchingAndShutdownTest {
    private static RankerServer start(ScriptedModel model, int maxQueue, Duration maxWait) throws Exception {
        ServerOptions options = ServerOptions.defaults().withAddress("127.0.0.1", 0).withBatching(64, maxWait, maxQueue);
        return RankerServer.start(model, options, System.err);
    }

    @Test
    void aFullQueueAnswers429() throws Exception {
        ScriptedModel model = new ScriptedModel();
        model.gate = new CountDownLatch(1);
        try (RankerServer server = start(model, 2, Duration.ZERO); ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            HttpClientForTests http = new HttpClientForTests(server.uri());
            Future<HttpClientForTests.Answer> running = clients.submit(() -> http.post("/embed", "{\"inputs\": \"a\"}"));
            assertTrue(model.entered.await(10, TimeUnit.SECONDS)); // the batcher is at the gate with the first
            List<Future<HttpClientForTests.Answer>> queued = new ArrayList<>();
            for (int i = 0; i < 2; i++) queued.add(clients.submit(() -> http.post("/embed", "{\"inputs\": \"bb\"}")));
            waitFor(() -> server.answered("/embed", 429) == 0 && queueDepth(http) == 2);
            var refused = http.post("/embed", "{\"inputs\": \"c\"}");
            assertEquals(429, refused.status(), refused.body());
            assertEquals("Overloaded", refused.json().get("error_type").asText());
            model.gate.countDown();
            assertEquals(200, running.get().status());
            for (var q : queued) assertEquals(200, q.get().status());
        }
    }

    /** A request the model fails on gets 500; the requests that shared its round are answered as if it was not there. */
    @Test
    void aFailingRequestDoesNotPoisonItsRound() throws Exception {
        ScriptedModel model = new ScriptedModel();
        model.gate = new CountDownLatch(1);
        try (RankerServer server = start(model, 16, Duration.ZERO); ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            HttpClientForTests http = new HttpClientForTests(server.uri());
            Future<HttpClientForTests.Answer> first = clients.submit(() -> http.post("/rerank", "{\"query\": \"q\", \"texts\": [\"x\"]}"));
            assertTrue(model.entered.await(10, TimeUnit.SECONDS));
            // While the first round waits at the gate, a good, a poisoned and another good request queue up together.
            var good = clients.submit(() -> http.post("/rerank", "{\"query\": \"q\", \"texts\": [\"aaa\", \"b\"]}"));
            waitFor(() -> queueDepth(http) == 1);
            var poisoned = clients.submit(() -> http.post("/rerank", "{\"query\": \"q\", \"texts\": [\"poison\", \"c\"]}"));
            waitFor(() -> queueDepth(http) == 2);
            var embedded = clients.submit(() -> http.post("/embed", "{\"inputs\": [\"dddd\", \"ee\"], \"normalize\": false}"));
            waitFor(() -> queueDepth(http) == 3);
            model.gate.countDown();
            assertEquals(200, first.get().status());
            var goodAnswer = good.get();
            assertEquals(200, goodAnswer.status(), goodAnswer.body());
            assertEquals(0, goodAnswer.json().get(0).get("index").asInt()); // "aaa" scores 3, "b" 1
            assertEquals(3.0, goodAnswer.json().get(0).get("score").asDouble());
            var poisonAnswer = poisoned.get();
            assertEquals(500, poisonAnswer.status(), poisonAnswer.body());
            assertEquals("Backend", poisonAnswer.json().get("error_type").asText());
            assertTrue(poisonAnswer.json().get("error").asText().contains("poisoned"), poisonAnswer.body());
            var embedAnswer = embedded.get();
            assertEquals(200, embedAnswer.status(), embedAnswer.body());
            assertEquals(4.0, embedAnswer.json().get(0).get(0).asDouble());
            // One round held both reranks (then each alone) and the embed: [1], [2 + 2], [2], [2], [2].
            assertEquals(List.of(1, 4, 2, 2, 2), model.callSizes);
            assertEquals(200, http.post("/rerank", "{\"query\": \"q\", \"texts\": [\"f\"]}").status());
        }
    }

    /** Rounds gather waiting requests up to maxBatch items; a larger request runs alone. */
    @Test
    void roundsStopAtMaxBatchItems() throws Exception {
        ScriptedModel model = new ScriptedModel();
        model.gate = new CountDownLatch(1);
        ServerOptions options = ServerOptions.defaults().withAddress("127.0.0.1", 0).withBatching(5, Duration.ZERO, 16);
        try (RankerServer server = RankerServer.start(model, options, System.err);
             ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            HttpClientForTests http = new HttpClientForTests(server.uri());
            var first = clients.submit(() -> http.post("/embed", "{\"inputs\": [\"a\"]}"));
            assertTrue(model.entered.await(10, TimeUnit.SECONDS));
            List<Future<HttpClientForTests.Answer>> rest = new ArrayList<>();
            int[] sizes = {3, 2, 7, 1};
            for (int i = 0; i < sizes.length; i++) {
                String inputs = String.join(", ", java.util.Collections.nCopies(sizes[i], "\"t\""));
                rest.add(clients.submit(() -> http.post("/embed", "{\"inputs\": [" + inputs + "]}")));
                int queued = i + 1;
                waitFor(() -> queueDepth(http) == queued);
            }
            model.gate.countDown();
            assertEquals(200, first.get().status());
            for (var r : rest) assertEquals(200, r.get().status());
            assertEquals(List.of(1, 5, 7, 1), model.callSizes);
        }
    }

    /**
     * Shutdown while a request is running: /health and new requests get 503, the running request is answered 200,
     * then the socket closes and the model is released.
     */
    @Test
    void shutdownDrainsAcceptedRequestsAndRefusesNewOnes() throws Exception {
        ScriptedModel model = new ScriptedModel();
        model.gate = new CountDownLatch(1);
        RankerServer server = start(model, 16, Duration.ZERO);
        HttpClientForTests http = new HttpClientForTests(server.uri());
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<HttpClientForTests.Answer> running = clients.submit(() -> http.post("/rerank", "{\"query\": \"q\", \"texts\": [\"ab\"]}"));
            assertTrue(model.entered.await(10, TimeUnit.SECONDS));
            CompletableFuture<Boolean> drained = CompletableFuture.supplyAsync(() -> server.shutdown(Duration.ofSeconds(20)));
            waitFor(() -> http.get("/health").status() == 503);
            var refused = http.post("/rerank", "{\"query\": \"q\", \"texts\": [\"cd\"]}");
            assertEquals(503, refused.status());
            assertEquals("Unhealthy", refused.json().get("error_type").asText());
            assertTrue(!drained.isDone(), "shutdown waits for the running request");
            model.gate.countDown();
            var answer = running.get(20, TimeUnit.SECONDS);
            assertEquals(200, answer.status(), answer.body());
            assertEquals(2.0, answer.json().get(0).get("score").asDouble());
            assertTrue(drained.get(20, TimeUnit.SECONDS), "drained in time");
            assertTrue(model.closed);
            assertThrows(ConnectException.class, () -> http.get("/health"));
        }
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    private static void waitFor(Condition condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) throw new AssertionError("condition not reached in 10 s");
            Thread.sleep(5);
        }
    }

    private static int queueDepth(HttpClientForTests http) throws Exception {
        for (String line : http.get("/metrics").body().split("\n")) {
            if (line.startsWith("ranker4j_queue_depth ")) return Integer.parseInt(line.split(" ")[1]);
        }
        throw new AssertionError("no ranker4j_queue_depth");
    }
}
