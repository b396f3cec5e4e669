package dev.ranker4j.server;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

/**
 * The server's counters, gauges and histograms, written in Prometheus's text exposition format (version 0.0.4) for
 * {@code GET /metrics}. Lock-free updates from the request threads and the batcher; a scrape reads them as they are.
 *
 * <pre>
 *   ranker4j_requests_total{route,status}        counter    every answered request
 *   ranker4j_request_duration_seconds{route}     histogram  /rerank and /embed, from arrival to answer
 *   ranker4j_items_total{route}                  counter    pairs re-ranked, texts embedded
 *   ranker4j_batch_items                         histogram  pairs + texts per batching round
 *   ranker4j_batch_requests                      histogram  requests per batching round
 *   ranker4j_inference_duration_seconds          histogram  the model's time per round
 *   ranker4j_queue_depth, ranker4j_queue_capacity gauge    requests waiting for the model, and the bound (429 above)
 *   ranker4j_requests_in_flight                  gauge      requests accepted and not yet answered
 * </pre>
 */
final class Metrics {
    static final double[] LATENCY_BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};
    static final double[] SIZE_BUCKETS = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024};

    private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
    private final Map<String, Histogram> latency = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> items = new ConcurrentHashMap<>();
    private final Histogram batchItems = new Histogram(SIZE_BUCKETS);
    private final Histogram batchRequests = new Histogram(SIZE_BUCKETS);
    private final Histogram inference = new Histogram(LATENCY_BUCKETS);
    private final IntSupplier queueDepth;
    private final int queueCapacity;
    private final IntSupplier inFlight;

    Metrics(IntSupplier queueDepth, int queueCapacity, IntSupplier inFlight) {
        this.queueDepth = queueDepth;
        this.queueCapacity = queueCapacity;
        this.inFlight = inFlight;
    }

    /** One answered request; {@code seconds} goes into the latency histogram for the model's routes. */
    void request(String route, int status, double seconds) {
        requests.computeIfAbsent(labels("route", route, "status", Integer.toString(status)), k -> new LongAdder()).increment();
        if (route.equals("/rerank") || route.equals("/embed")) {
            latency.computeIfAbsent(labels("route", route), k -> new Histogram(LATENCY_BUCKETS)).observe(seconds);
        }
    }

    void items(String route, int count) {
        items.computeIfAbsent(labels("route", route), k -> new LongAdder()).add(count);
    }

    void batch(int itemCount, int requestCount, double seconds) {
        batchItems.observe(itemCount);
        batchRequests.observe(requestCount);
        inference.observe(seconds);
    }

    /** Requests answered with {@code status} on {@code route} so far (tests). */
    long count(String route, int status) {
        LongAdder adder = requests.get(labels("route", route, "status", Integer.toString(status)));
        return adder == null ? 0 : adder.sum();
    }

    /** The text exposition format. */
    String scrape() {
        StringBuilder out = new StringBuilder();
        header(out, "ranker4j_requests_total", "counter", "HTTP requests answered, by route and status.");
        new TreeMap<>(requests).forEach((labels, n) -> sample(out, "ranker4j_requests_total", labels, n.sum()));
        header(out, "ranker4j_request_duration_seconds", "histogram", "Time from a request's arrival to its answer.");
        new TreeMap<>(latency).forEach((labels, h) -> h.write(out, "ranker4j_request_duration_seconds", labels));
        header(out, "ranker4j_items_total", "counter", "Pairs re-ranked (/rerank) and texts embedded (/embed).");
        new TreeMap<>(items).forEach((labels, n) -> sample(out, "ranker4j_items_total", labels, n.sum()));
        header(out, "ranker4j_batch_items", "histogram", "Pairs and texts per batching round.");
        batchItems.write(out, "ranker4j_batch_items", "");
        header(out, "ranker4j_batch_requests", "histogram", "Requests per batching round.");
        batchRequests.write(out, "ranker4j_batch_requests", "");
        header(out, "ranker4j_inference_duration_seconds", "histogram", "The model's time per batching round.");
        inference.write(out, "ranker4j_inference_duration_seconds", "");
        header(out, "ranker4j_queue_depth", "gauge", "Requests waiting for the model.");
        sample(out, "ranker4j_queue_depth", "", queueDepth.getAsInt());
        header(out, "ranker4j_queue_capacity", "gauge", "Requests that may wait; one more is answered 429.");
        sample(out, "ranker4j_queue_capacity", "", queueCapacity);
        header(out, "ranker4j_requests_in_flight", "gauge", "Requests accepted and not yet answered.");
        sample(out, "ranker4j_requests_in_flight", "", inFlight.getAsInt());
        return out.toString();
    }

    private static void header(StringBuilder out, String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static void sample(StringBuilder out, String name, String labels, double value) {
        out.append(name);
        if (!labels.isEmpty()) out.append('{').append(labels).append('}');
        out.append(' ').append(number(value)).append('\n');
    }

    private static String number(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) return Long.toString((long) value);
        return Double.toString(value);
    }

    /** {@code k1="v1",k2="v2"}; the values here are routes and status codes, which need no escaping. */
    private static String labels(String... keysAndValues) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            if (i > 0) out.append(',');
            out.append(keysAndValues[i]).append("=\"").append(keysAndValues[i + 1]).append('"');
        }
        return out.toString();
    }

    /** Cumulative buckets as Prometheus wants them, plus the sum and the count. */
    static final class Histogram {
        private final double[] bounds;
        private final AtomicLongArray counts;
        private final DoubleAdder sum = new DoubleAdder();
        private final LongAdder count = new LongAdder();

        Histogram(double[] bounds) {
            this.bounds = bounds;
            this.counts = new AtomicLongArray(bounds.length);
        }

        void observe(double value) {
            for (int i = 0; i < bounds.length; i++) {
                if (value <= bounds[i]) {
                    counts.incrementAndGet(i);
                    break;
                }
            }
            sum.add(value);
            count.increment();
        }

        void write(StringBuilder out, String name, String labels) {
            String prefix = labels.isEmpty() ? "" : labels + ",";
            long cumulative = 0;
            for (int i = 0; i < bounds.length; i++) {
                cumulative += counts.get(i);
                sample(out, name + "_bucket", prefix + "le=\"" + number(bounds[i]) + "\"", cumulative);
            }
            sample(out, name + "_bucket", prefix + "le=\"+Inf\"", count.sum());
            sample(out, name + "_sum", labels, sum.sum());
            sample(out, name + "_count", labels, count.sum());
        }
    }
}
