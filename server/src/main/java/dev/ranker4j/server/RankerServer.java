package dev.ranker4j.server;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ranker4j.api.InputTooLongException;
import dev.ranker4j.api.ModelInfo;
import dev.ranker4j.api.RerankerKind;
import dev.ranker4j.ir.retrieval.DenseVectors;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A rerank/embed HTTP server with text-embeddings-inference's routes and shapes, so TEI clients work unchanged:
 * <pre>
 *   POST /rerank   {"query", "texts", "raw_scores", "return_text", "truncate"} → [{"index", "score"[, "text"]}], best first
 *   POST /embed    {"inputs": str | [str], "normalize", "truncate"}           → [[float]]
 *   GET  /health   200 while serving, 503 once shutting down
 *   GET  /info     the model, its kind, max input length, dtype, backend and the server's limits
 *   GET  /metrics  Prometheus text format ({@link Metrics})
 * </pre>
 * A cross-encoder's /rerank score is the sigmoid of its logit unless {@code raw_scores}; a dual encoder's is the
 * cosine similarity of query and passage vectors (it also serves /embed; a cross-encoder answers /embed with 400).
 *
 * <p>The JDK's {@code com.sun.net.httpserver} accepts connections and runs each exchange on a virtual thread, which
 * reads and checks the body, queues the request with the {@link Batcher} and waits for its answer; the batcher's one
 * thread feeds the model. Every failure becomes a JSON error, {@code {"error", "error_type"}}: malformed JSON 400,
 * no texts 400, a missing or mistyped field 422, too many texts, a body over the limit or an input too long to
 * read without truncation 413, unknown route 404, wrong method 405, a full queue 429, shutting down 503, the model
 * failing 500. Nothing a request sends can stop the server.
 *
 * <p>{@link #shutdown} (the {@code serve} command's SIGTERM hook) drains: new requests are answered 503 and /health
 * turns 503, the requests already accepted run to the end (the batcher stops waiting for company), then the server
 * closes its socket.
 */
public final class RankerServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ServedModel model;
    private final ServerOptions options;
    private final HttpServer http;
    private final ExecutorService handlers;
    private final Batcher batcher;
    private final Metrics metrics;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final PrintStream log;

    private RankerServer(ServedModel model, ServerOptions options, PrintStream log) throws IOException {
        this.model = model;
        this.options = options;
        this.log = log;
        this.metrics = new Metrics(this::queueDepth, options.maxQueue(), inFlight::get);
        this.batcher = new Batcher(model, options.maxBatch(), options.maxWait(), options.maxQueue(), metrics);
        this.http = HttpServer.create(new InetSocketAddress(options.host(), options.port()), 0);
        this.handlers = Executors.newVirtualThreadPerTaskExecutor();
        http.setExecutor(handlers);
        http.createContext("/", this::handle);
    }

    /**
     * Starts serving {@code model} (the server owns it from now on and closes it when it stops); {@code log} gets a
     * line when draining starts and when the server has stopped.
     */
    public static RankerServer start(ServedModel model, ServerOptions options, PrintStream log) throws IOException {
        RankerServer server = new RankerServer(model, options, log);
        server.http.start();
        return server;
    }

    /** The address the server listens on (the real port when it was started with port 0). */
    public InetSocketAddress address() {
        return http.getAddress();
    }

    /** {@code http://host:port} to reach it on this machine (the loopback address when listening on every interface). */
    public URI uri() {
        String host = address().getAddress().isAnyLocalAddress() ? "127.0.0.1" : address().getAddress().getHostAddress();
        if (host.contains(":")) host = "[" + host + "]";
        return URI.create("http://" + host + ":" + address().getPort());
    }

    /**
     * Drains and stops: from now on new requests are answered 503; the requests already accepted get their answers
     * (waiting at most {@code timeout}); then the socket is closed and the model released. A second call waits for
     * the first to finish.
     *
     * @return true when every accepted request was answered in time
     */
    public boolean shutdown(Duration timeout) {
        if (!draining.compareAndSet(false, true)) {
            awaitStop();
            return true;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        log.printf("ranker4j serve: shutting down, draining %d request(s) in flight%n", inFlight.get());
        batcher.finishQueued();
        boolean drained;
        synchronized (inFlight) {
            while (inFlight.get() > 0 && System.nanoTime() < deadline) {
                try {
                    inFlight.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            drained = inFlight.get() == 0;
        }
        batcher.close(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        http.stop(0);
        handlers.shutdown();
        model.close();
        log.printf("ranker4j serve: stopped%s%n", drained ? "" : " (some requests were still running after " + timeout + ")");
        stopped.countDown();
        return drained;
    }

    /** Blocks until the server has stopped. */
    public void awaitStop() {
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        shutdown(options.shutdownTimeout());
    }

    /** Requests answered with {@code status} on {@code route} so far. */
    public long answered(String route, int status) {
        return metrics.count(route, status);
    }

    private int queueDepth() {
        return batcher == null ? 0 : batcher.depth();
    }

    // ---- one exchange ----

    private record Response(int status, String contentType, byte[] body, boolean closeConnection) {
        static Response json(byte[] body) {
            return new Response(200, "application/json", body, false);
        }

        static Response error(HttpError error, boolean closeConnection) {
            String body;
            try {
                body = JSON.writeValueAsString(java.util.Map.of("error", error.getMessage(), "error_type", error.type()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new Response(error.status(), "application/json", body.getBytes(StandardCharsets.UTF_8), closeConnection);
        }
    }

    private void handle(HttpExchange exchange) {
        long start = System.nanoTime();
        String route = routeLabel(exchange.getRequestURI().getPath());
        Response response;
        boolean accepted = enter();
        try {
            response = accepted ? respond(exchange, route)
                    : Response.error(new HttpError(503, "Unhealthy", "the server is shutting down"), true);
        } catch (HttpError error) {
            response = Response.error(error, error.status() == 413);
        } catch (Throwable unexpected) { // a bug of ours: answered, logged, and the server goes on
            log.println("ranker4j serve: " + exchange.getRequestMethod() + " " + route + " failed: " + unexpected);
            response = Response.error(new HttpError(500, "Backend", "internal error: " + unexpected), false);
        }
        try {
            send(exchange, response);
        } catch (IOException | RuntimeException clientGone) {
            // the client closed the connection; nothing to answer
        } finally {
            exchange.close();
            if (accepted) leave();
            metrics.request(route, response.status(), (System.nanoTime() - start) / 1e9);
        }
    }

    /** Counts an accepted request; false (and not counted) once draining has begun. */
    private boolean enter() {
        inFlight.incrementAndGet();
        if (!draining.get()) return true;
        leave();
        return false;
    }

    private void leave() {
        if (inFlight.decrementAndGet() == 0) {
            synchronized (inFlight) {
                inFlight.notifyAll();
            }
        }
    }

    /** Known routes by name, everything else as "other" (so a scan of random paths cannot grow the metrics). */
    private static String routeLabel(String path) {
        return switch (path) {
            case "/rerank", "/embed", "/health", "/info", "/metrics" -> path;
            default -> "other";
        };
    }

    private Response respond(HttpExchange exchange, String route) throws IOException {
        String method = exchange.getRequestMethod();
        return switch (route) {
            case "/rerank" -> {
                requireMethod(method, "POST", route);
                yield rerank(TeiRequests.rerank(body(exchange), options.maxClientBatchSize()));
            }
            case "/embed" -> {
                requireMethod(method, "POST", route);
                yield embed(TeiRequests.embed(body(exchange), options.maxClientBatchSize()));
            }
            case "/health" -> {
                requireMethod(method, "GET", route);
                yield new Response(200, "application/json", new byte[0], false);
            }
            case "/info" -> {
                requireMethod(method, "GET", route);
                yield Response.json(info());
            }
            case "/metrics" -> {
                requireMethod(method, "GET", route);
                yield new Response(200, "text/plain; version=0.0.4; charset=utf-8",
                        metrics.scrape().getBytes(StandardCharsets.UTF_8), false);
            }
            default -> throw new HttpError(404, "NotFound", "no route " + method + " " + exchange.getRequestURI().getPath()
                    + "; the routes are POST /rerank, POST /embed, GET /health, GET /info, GET /metrics");
        };
    }

    private static void requireMethod(String method, String expected, String route) {
        if (!method.equals(expected)) {
            throw new HttpError(405, "MethodNotAllowed", route + " takes " + expected + ", not " + method);
        }
    }

    /** The request body, refused with 413 as soon as it is known to pass the limit. */
    private byte[] body(HttpExchange exchange) throws IOException {
        int limit = options.payloadLimit();
        String declared = exchange.getRequestHeaders().getFirst("Content-Length");
        if (declared != null) {
            try {
                if (Long.parseLong(declared.trim()) > limit) throw tooLarge(limit);
            } catch (NumberFormatException e) {
                throw HttpError.malformed("bad Content-Length: " + declared);
            }
        }
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readNBytes(limit + 1);
            if (body.length > limit) throw tooLarge(limit);
            return body;
        }
    }

    private static HttpError tooLarge(int limit) {
        return HttpError.tooLarge("the request body is larger than the limit of " + limit + " bytes");
    }

    private Response rerank(TeiRequests.Rerank request) {
        if (!Boolean.TRUE.equals(request.truncate()) && !(request.truncate() == null && options.autoTruncate())) {
            try {
                model.checkRerankLengths(request.query(), request.texts());
            } catch (InputTooLongException e) {
                throw HttpError.tooLarge(e.getMessage() + "; send \"truncate\": true to truncate it");
            }
        }
        float[] scores = await(new Batcher.RerankJob(request.query(), request.texts()));
        metrics.items("/rerank", scores.length);
        boolean sigmoid = model.kind() == RerankerKind.CROSS_ENCODER && !request.rawScores();
        List<Integer> order = new ArrayList<>(scores.length);
        for (int i = 0; i < scores.length; i++) order.add(i);
        order.sort(Comparator.comparingDouble((Integer i) -> scores[i]).reversed()); // ties keep input order
        return Response.json(write(json -> {
            json.writeStartArray();
            for (int i : order) {
                json.writeStartObject();
                json.writeNumberField("index", i);
                json.writeFieldName("score");
                number(json, sigmoid ? (float) (1 / (1 + Math.exp(-scores[i]))) : scores[i]);
                if (request.returnText()) json.writeStringField("text", request.texts().get(i));
                json.writeEndObject();
            }
            json.writeEndArray();
        }));
    }

    private Response embed(TeiRequests.Embed request) {
        if (!model.embeds()) {
            throw new HttpError(400, "Validation", "this server serves a cross_encoder, which scores pairs but does not"
                    + " embed; /embed needs a dual_encoder (ranker4j serve --kind dual_encoder)");
        }
        if (!Boolean.TRUE.equals(request.truncate()) && !(request.truncate() == null && options.autoTruncate())) {
            try {
                model.checkEmbedLengths(request.inputs());
            } catch (InputTooLongException e) {
                throw HttpError.tooLarge(e.getMessage() + "; send \"truncate\": true to truncate it");
            }
        }
        float[][] vectors = await(new Batcher.EmbedJob(request.inputs()));
        metrics.items("/embed", vectors.length);
        return Response.json(write(json -> {
            json.writeStartArray();
            for (float[] vector : vectors) {
                if (request.normalize()) DenseVectors.normalizeInPlace(vector);
                json.writeStartArray();
                for (float x : vector) number(json, x);
                json.writeEndArray();
            }
            json.writeEndArray();
        }));
    }

    /** Queues a job (429 when the queue is full) and waits for its answer (500 when the model failed on it). */
    @SuppressWarnings("unchecked")
    private <T> T await(Batcher.Job job) {
        if (!batcher.offer(job)) {
            if (draining.get()) throw new HttpError(503, "Unhealthy", "the server is shutting down");
            throw new HttpError(429, "Overloaded", "the queue is full (" + options.maxQueue() + " requests); retry later");
        }
        Future<?> result = job.result();
        try {
            return (T) result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HttpError(503, "Unhealthy", "interrupted while waiting for the model");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof HttpError error) throw error;
            log.println("ranker4j serve: the model failed on a request: " + e.getCause());
            throw new HttpError(500, "Backend", "the model failed on this request: " + e.getCause());
        }
    }

    private byte[] info() {
        ModelInfo info = model.info();
        return write(json -> {
            json.writeStartObject();
            json.writeStringField("model_id", info.id());
            json.writeStringField("model_dtype", info.dtype());
            json.writeObjectFieldStart("model_type");
            if (model.kind() == RerankerKind.CROSS_ENCODER) {
                json.writeObjectFieldStart("reranker");
                json.writeObjectFieldStart("id2label");
                json.writeStringField("0", "LABEL_0");
                json.writeEndObject();
                json.writeEndObject();
            } else {
                json.writeObjectFieldStart("embedding");
                json.writeStringField("pooling", info.pooling());
                json.writeEndObject();
            }
            json.writeEndObject();
            json.writeStringField("kind", info.kind());
            json.writeNumberField("max_input_length", info.maxLength());
            json.writeNumberField("hidden_size", info.hiddenSize());
            json.writeStringField("backend", info.backend());
            json.writeNumberField("threads", info.threads());
            json.writeNumberField("batch_size", info.batchSize());
            json.writeNumberField("max_batch", options.maxBatch());
            json.writeNumberField("max_wait_ms", options.maxWait().toNanos() / 1e6);
            json.writeNumberField("max_concurrent_requests", options.maxQueue());
            json.writeNumberField("max_client_batch_size", options.maxClientBatchSize());
            json.writeNumberField("payload_limit", options.payloadLimit());
            json.writeBooleanField("auto_truncate", options.autoTruncate());
            json.writeStringField("version", "ranker4j 0.1.0-SNAPSHOT");
            json.writeEndObject();
        });
    }

    /** A float as JSON: finite values as Java prints them (exact round trip), others as null. */
    private static void number(JsonGenerator json, float value) throws IOException {
        if (Float.isFinite(value)) json.writeNumber(value);
        else json.writeNull();
    }

    private interface JsonWriter {
        void write(JsonGenerator json) throws IOException;
    }

    private static byte[] write(JsonWriter writer) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator json = JSON.getFactory().createGenerator(out)) {
            writer.write(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void send(HttpExchange exchange, Response response) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", response.contentType());
        if (response.closeConnection()) exchange.getResponseHeaders().set("Connection", "close");
        byte[] body = response.body();
        exchange.sendResponseHeaders(response.status(), body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
