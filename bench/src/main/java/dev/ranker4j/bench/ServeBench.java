package dev.ranker4j.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ranker4j.api.Reranker;
import dev.ranker4j.api.RerankerKind;
import dev.ranker4j.api.RerankerOptions;
import dev.ranker4j.cli.Main;
import dev.ranker4j.hfio.hub.ModelLocator;
import dev.ranker4j.tokenizer.WordPieceTokenizer;
import jdk.incubator.vector.FloatVector;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code ranker4j bench serve --model DIR --clients 32 --seconds 60}: a bounded load test of {@code ranker4j serve}.
 *
 * <ol>
 *   <li>The API's own throughput at the same request shape, one call after another in this JVM, for
 *       {@code --api-seconds} before and again after the load test (the machine's load drifts; their mean is the
 *       reference); 0 skips it.</li>
 *   <li>A server in a JVM of its own on 127.0.0.1 (this class path, {@code -Xmx} from {@code --server-heap}).</li>
 *   <li>{@code --clients} concurrent clients, each sending one /rerank request after another: a query and
 *       {@code --passages} passages, each pair exactly {@code --tokens} tokens. One more client sends
 *       {@code --bad-per-s} deliberately bad requests a second, in turn malformed JSON, a missing field, an empty list
 *       and an unknown route; each must get its 4xx (counted apart). Answers in the first {@code --warmup} seconds
 *       are not counted; then for {@code --seconds} every answer is: requests/s, pairs/s, latency percentiles,
 *       errors.</li>
 *   <li>The server's peak resident memory (VmHWM) and its batching (mean pairs per round, from /metrics), then
 *       SIGTERM, and how long the drain and exit took.</li>
 * </ol>
 * One JSON line; a failed request or an unexpected status makes "errors" non-zero.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Load test of ranker4j serve on 127.0.0.1 (N clients for T seconds) against the API at the same shape; one JSON line.")
public final class ServeBench implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--model", required = true, description = "Model directory or Hub id.")
    String model;

    @Option(names = "--kind", defaultValue = "cross_encoder", description = "cross_encoder or dual_encoder (default ${DEFAULT-VALUE}).")
    String kind;

    @Option(names = "--clients", defaultValue = "32", description = "Concurrent clients (default ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--seconds", defaultValue = "60", description = "Measured seconds (default ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--warmup", defaultValue = "10", description = "Unmeasured seconds first (default ${DEFAULT-VALUE}).")
    double warmupSeconds;

    @Option(names = "--passages", defaultValue = "10", description = "Passages per request (default ${DEFAULT-VALUE}).")
    int passages;

    @Option(names = "--tokens", defaultValue = "128", description = "Tokens per (query, passage) pair (default ${DEFAULT-VALUE}).")
    int tokens;

    @Option(names = "--batch-size", defaultValue = "32", description = "Pairs per forward pass, server and API (default ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--max-batch", defaultValue = "32",
            description = "The server's --max-batch: pairs per batching round (default ${DEFAULT-VALUE}, one forward pass,"
                    + " so that answers come steadily rather than in bursts).")
    int maxBatch;

    @Option(names = "--max-wait-ms", defaultValue = "5", description = "The server's --max-wait-ms (default ${DEFAULT-VALUE}).")
    long maxWaitMs;

    @Option(names = "--bad-per-s", defaultValue = "2",
            description = "Deliberately bad requests per second from one more client (0: none) (default ${DEFAULT-VALUE}).")
    double badPerS;

    @Option(names = "--api-seconds", defaultValue = "20",
            description = "Seconds of the API measurement at the same shape, before and again after the load test"
                    + " (0: skip) (default ${DEFAULT-VALUE}).")
    double apiSeconds;

    @Option(names = "--server-heap", defaultValue = "2g", description = "The server JVM's -Xmx (default ${DEFAULT-VALUE}).")
    String serverHeap;

    /** A deliberately bad request: where it goes, its body, and the status it must get. */
    private record Bad(String path, String body, int status) {}

    private static final Bad[] BAD = {
            new Bad("/rerank", "{\"query\": \"q\", \"texts\": [\"a\"", 400),
            new Bad("/rerank", "{\"texts\": [\"a\"]}", 422),
            new Bad("/rerank", "{\"query\": \"q\", \"texts\": []}", 400),
            new Bad("/nowhere", "{}", 404)};

    @Override
    public Integer call() throws Exception {
        RerankerKind modelKind = RerankerKind.parse(kind);
        Path directory = ModelLocator.locate(model);
        WordPieceTokenizer tokenizer = WordPieceTokenizer.fromDirectory(directory);
        SyntheticPassages synthetic = new SyntheticPassages(tokenizer, 7);
        List<String> queries = new ArrayList<>();
        for (int i = 0; i < 16; i++) queries.add(synthetic.words(8));
        // Each query's pool of passages, each pair exactly --tokens tokens (a dual encoder: each passage).
        Map<String, List<String>> pools = new LinkedHashMap<>();
        for (String query : queries) {
            pools.put(query, modelKind == RerankerKind.CROSS_ENCODER ? synthetic.pairTokens(query, tokens, 4 * passages)
                    : synthetic.ofTokens(tokens, 4 * passages));
        }

        double apiBefore = apiSeconds > 0 ? apiThroughput(modelKind, queries, pools) : Double.NaN;

        Path log = Files.createTempFile("ranker4j-bench-serve", ".log");
        Process server = startServer(modelKind, log);
        try {
            URI base = URI.create(JSON.readTree(new BufferedReader(new InputStreamReader(server.getInputStream(),
                    StandardCharsets.UTF_8)).readLine()).get("listening").asText());
            Load load = run(base, queries, pools);
            String metrics = get(base, "/metrics");
            double roundItems = metric(metrics, "ranker4j_batch_items_sum") / metric(metrics, "ranker4j_batch_items_count");
            double roundRequests = metric(metrics, "ranker4j_batch_requests_sum") / metric(metrics, "ranker4j_batch_requests_count");
            JsonNode info = JSON.readTree(get(base, "/info"));
            long rssPeakKb = procStatusKb(server.pid(), "VmHWM");
            long signalled = System.nanoTime();
            server.destroy(); // SIGTERM: drain, then exit
            boolean exited = server.waitFor(60, TimeUnit.SECONDS);
            double shutdownS = (System.nanoTime() - signalled) / 1e9;
            double apiAfter = apiSeconds > 0 ? apiThroughput(modelKind, queries, pools) : Double.NaN;
            double apiPairsPerS = (apiBefore + apiAfter) / 2;

            double[] latencies = load.latenciesMs();
            double pairsPerS = load.pairs / seconds;
            System.out.printf(Locale.ROOT, "{\"op\":\"serve\",\"model\":\"%s\",\"kind\":\"%s\",\"clients\":%d,\"seconds\":%.0f,"
                            + "\"shape\":{\"passages_per_request\":%d,\"tokens_per_pair\":%d},\"batch\":%d,\"max_batch\":%d,"
                            + "\"max_wait_ms\":%d,\"requests\":%d,\"requests_per_s\":%.2f,\"pairs_per_s\":%.2f,"
                            + "\"latency_ms\":{\"p50\":%s,\"p95\":%s,\"p99\":%s,\"max\":%s},\"errors\":%d,"
                            + "\"deliberate_errors\":{\"sent\":%d,\"as_expected\":%d},\"api_pairs_per_s\":%s,\"api_runs_pairs_per_s\":[%s,%s],\"server_vs_api\":%s,"
                            + "\"mean_round_pairs\":%s,\"mean_round_requests\":%s,\"server_rss_peak_mb\":%.0f,\"server_heap\":\"%s\","
                            + "\"shutdown_s\":%.2f,\"exit_code\":%s,\"backend\":\"%s\",\"threads\":%d,\"vector_shape\":\"%s\"}%n",
                    directory.getFileName(), modelKind.id(), clients, seconds, passages, tokens, batchSize, maxBatch, maxWaitMs,
                    // JSON has no NaN: with no answer in the window, the percentiles and round means are null.
                    load.requests, load.requests / seconds, pairsPerS, json(percentile(latencies, 50)), json(percentile(latencies, 95)),
                    json(percentile(latencies, 99)), json(latencies.length == 0 ? Double.NaN : latencies[latencies.length - 1]),
                    load.errors.get(), load.badSent.get(), load.badAsExpected.get(), json(apiPairsPerS),
                    json(apiBefore), json(apiAfter), json(pairsPerS / apiPairsPerS), json(roundItems), json(roundRequests), rssPeakKb / 1024.0, serverHeap, shutdownS,
                    exited ? Integer.toString(server.exitValue()) : "null", info.get("backend").asText(),
                    info.get("threads").asInt(), FloatVector.SPECIES_PREFERRED.vectorShape());
            if (load.errors.get() > 0) System.err.println("bench serve: unexpected answers, e.g. " + load.firstError);
            return load.errors.get() == 0 && exited ? 0 : 1;
        } catch (IOException | RuntimeException e) {
            System.err.println("bench serve: the server's log:\n" + Files.readString(log));
            throw e;
        } finally {
            server.destroyForcibly();
            Files.deleteIfExists(log);
        }
    }

    /** Pairs per second of {@code Reranker.score} on requests of the benchmark's shape, one after another. */
    private double apiThroughput(RerankerKind modelKind, List<String> queries, Map<String, List<String>> pools) throws IOException {
        RerankerOptions options = RerankerOptions.defaults().withKind(modelKind).withMaxLength(tokens)
                .withQueryMaxLength(tokens).withBatchSize(batchSize);
        try (Reranker reranker = Reranker.load(model, options)) {
            SplittableRandom random = new SplittableRandom(3);
            long end = System.nanoTime() + (long) (warmupSeconds * 1e9);
            while (System.nanoTime() < end) call(reranker, queries, pools, random);
            long pairs = 0, start = System.nanoTime();
            end = start + (long) (apiSeconds * 1e9);
            while (System.nanoTime() < end) pairs += call(reranker, queries, pools, random);
            return pairs / ((System.nanoTime() - start) / 1e9);
        }
    }

    private int call(Reranker reranker, List<String> queries, Map<String, List<String>> pools, SplittableRandom random) {
        String query = queries.get(random.nextInt(queries.size()));
        return reranker.score(query, pick(pools.get(query), random)).length;
    }

    private List<String> pick(List<String> pool, SplittableRandom random) {
        List<String> chosen = new ArrayList<>(passages);
        for (int i = 0; i < passages; i++) chosen.add(pool.get(random.nextInt(pool.size())));
        return chosen;
    }

    private Process startServer(RerankerKind modelKind, Path log) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx" + serverHeap));
        for (String property : List.of("ranker4j.threads", "ranker4j.backend")) {
            if (System.getProperty(property) != null) command.add("-D" + property + "=" + System.getProperty(property));
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), "serve",
                "--model", model, "--kind", modelKind.id(), "--host", "127.0.0.1", "--port", "0",
                "--max-length", Integer.toString(tokens), "--batch-size", Integer.toString(batchSize),
                "--max-batch", Integer.toString(maxBatch), "--max-wait-ms", Long.toString(maxWaitMs),
                "--max-queue", Integer.toString(Math.max(256, 2 * clients)),
                "--max-client-batch-size", Integer.toString(Math.max(256, passages))));
        return new ProcessBuilder(command).redirectError(log.toFile()).start();
    }

    /** What the measured window saw. */
    private static final class Load {
        long requests;
        long pairs;
        final ConcurrentLinkedQueue<Long> latencyNanos = new ConcurrentLinkedQueue<>();
        final AtomicLong errors = new AtomicLong();
        final AtomicLong badSent = new AtomicLong();
        final AtomicLong badAsExpected = new AtomicLong();
        volatile String firstError;

        double[] latenciesMs() {
            double[] ms = latencyNanos.stream().mapToDouble(n -> n / 1e6).toArray();
            Arrays.sort(ms);
            return ms;
        }

        void error(String what) {
            if (errors.getAndIncrement() == 0) firstError = what;
        }
    }

    private Load run(URI base, List<String> queries, Map<String, List<String>> pools) throws InterruptedException {
        Load load = new Load();
        long start = System.nanoTime();
        long measureFrom = start + (long) (warmupSeconds * 1e9);
        long measureTo = measureFrom + (long) (seconds * 1e9);
        AtomicLong good = new AtomicLong(), pairs = new AtomicLong();
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
             ExecutorService clientThreads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < clients; c++) {
                SplittableRandom random = new SplittableRandom(1000 + c);
                clientThreads.submit(() -> {
                    while (System.nanoTime() < measureTo) {
                        String query = queries.get(random.nextInt(queries.size()));
                        long sent = System.nanoTime();
                        int status = post(http, base, "/rerank", rerankBody(query, pick(pools.get(query), random)), load);
                        long done = System.nanoTime();
                        if (status < 0) continue;
                        if (status != 200) {
                            load.error("/rerank: " + status);
                        } else if (done >= measureFrom && done <= measureTo) {
                            good.incrementAndGet();
                            pairs.addAndGet(passages);
                            load.latencyNanos.add(done - sent);
                        }
                    }
                    return null;
                });
            }
            if (badPerS > 0) {
                clientThreads.submit(() -> { // the deliberately bad client: each class of error in turn, under load
                    long every = (long) (1e9 / badPerS);
                    for (int n = 0; System.nanoTime() < measureTo; n++) {
                        Bad bad = BAD[n % BAD.length];
                        int status = post(http, base, bad.path(), bad.body(), load);
                        if (status >= 0) {
                            load.badSent.incrementAndGet();
                            if (status == bad.status()) load.badAsExpected.incrementAndGet();
                            else load.error(bad.path() + " " + bad.body() + ": " + status + ", expected " + bad.status());
                        }
                        Thread.sleep(every / 1_000_000);
                    }
                    return null;
                });
            }
        }
        load.requests = good.get();
        load.pairs = pairs.get();
        return load;
    }

    /** The status of a POST, or -1 (counted as an error) when the request failed. */
    private static int post(HttpClient http, URI base, String path, String body, Load load) {
        try {
            return http.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofMinutes(5))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            load.error(path + ": " + e);
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static String rerankBody(String query, List<String> texts) {
        try {
            return JSON.writeValueAsString(Map.of("query", query, "texts", texts, "truncate", true));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String get(URI base, String path) throws IOException, InterruptedException {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(HttpRequest.newBuilder(base.resolve(path)).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
        }
    }

    private static double metric(String metrics, String name) {
        for (String line : metrics.split("\n")) {
            if (line.startsWith(name + " ")) return Double.parseDouble(line.substring(name.length() + 1));
        }
        return Double.NaN;
    }

    private static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) return Double.NaN;
        int index = (int) Math.ceil(p / 100 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static String json(double value) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, "%.3f", value) : "null";
    }

    /** A field of /proc/PID/status in kB (Linux), or -1. */
    private static long procStatusKb(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith(field + ":")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
