package dev.ranker4j.cli;

import dev.ranker4j.api.RerankerKind;
import dev.ranker4j.server.RankerServer;
import dev.ranker4j.server.ServedModel;
import dev.ranker4j.server.ServerOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code ranker4j serve}: a re-ranker or embedder behind text-embeddings-inference's HTTP routes. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve a model over HTTP with text-embeddings-inference's routes: POST /rerank, POST /embed"
                + " (dual encoders), GET /health, GET /info, GET /metrics (docs/API.md).",
                "Prints one JSON line once listening. SIGTERM (or Ctrl-C) drains: new requests get 503, accepted ones"
                        + " finish (within --shutdown-timeout), then the process exits."})
final class ServeCommand implements Callable<Integer> {
    enum Kind { cross_encoder, dual_encoder }

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR|ORG/NAME",
            description = "The model directory, or ORG/NAME[@revision] from the Hugging Face Hub (cached; HF_HUB_OFFLINE=1 for cache only).")
    Path model;

    @Option(names = "--kind", paramLabel = "KIND",
            description = "cross_encoder or dual_encoder (default: read from the directory: a *ForSequenceClassification"
                    + " is a cross-encoder, anything else a dual encoder).")
    Kind kind;

    @Option(names = "--host", defaultValue = "0.0.0.0", description = "Address to listen on (default: ${DEFAULT-VALUE}, every interface).")
    String host;

    @Option(names = "--port", defaultValue = "8080", description = "Port (0: any free one; the JSON line says which) (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--max-length", defaultValue = "256",
            description = "Tokens per pair (cross-encoder) or text, special tokens included (default: ${DEFAULT-VALUE}).")
    int maxLength;

    @Option(names = "--query-length", description = "Tokens per query of a dual encoder's /rerank (default: --max-length).")
    Integer queryLength;

    @Option(names = "--batch-size", defaultValue = "32", description = "Pairs or texts per forward pass (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--threads", defaultValue = "0", description = "Kernel threads (default: all cores, or -Dranker4j.threads).")
    int threads;

    @Option(names = "--max-batch", defaultValue = "128",
            description = "Pairs and texts gathered from waiting requests into one round of forward passes (default: ${DEFAULT-VALUE}).")
    int maxBatch;

    @Option(names = "--max-wait-ms", defaultValue = "5",
            description = "How long a round's first request waits for company when none is queued (default: ${DEFAULT-VALUE}).")
    long maxWaitMs;

    @Option(names = "--max-queue", defaultValue = "256",
            description = "Requests that may wait for the model; more are answered 429 (default: ${DEFAULT-VALUE}).")
    int maxQueue;

    @Option(names = "--max-client-batch-size", defaultValue = "256",
            description = "Texts per request; more are answered 413 (default: ${DEFAULT-VALUE}).")
    int maxClientBatchSize;

    @Option(names = "--payload-limit", defaultValue = "2000000",
            description = "Bytes per request body; more are answered 413 (default: ${DEFAULT-VALUE}).")
    int payloadLimit;

    @Option(names = "--auto-truncate",
            description = "Truncate inputs longer than --max-length when a request does not say \"truncate\" (default: answer 413, as TEI).")
    boolean autoTruncate;

    @Option(names = "--shutdown-timeout", defaultValue = "30", paramLabel = "SECONDS",
            description = "On SIGTERM, how long accepted requests may take to finish (default: ${DEFAULT-VALUE}).")
    long shutdownTimeout;

    @Mixin
    BackendOption backend;

    @Override
    public Integer call() throws Exception {
        backend.install();
        ServerOptions options = new ServerOptions(host, port, maxBatch, Duration.ofMillis(maxWaitMs), maxQueue,
                maxClientBatchSize, payloadLimit, autoTruncate, Duration.ofSeconds(shutdownTimeout));
        RerankerKind modelKind = kind == null ? null : RerankerKind.parse(kind.name());
        ServedModel served = ServedModel.load(model.toString(), modelKind, maxLength,
                queryLength != null ? queryLength : maxLength, batchSize, threads);
        RankerServer server = RankerServer.start(served, options, System.err);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("ranker4j-serve-shutdown").unstarted(
                () -> server.shutdown(options.shutdownTimeout())));
        var info = served.info();
        spec.commandLine().getOut().printf("{\"listening\":%s,\"model\":%s,\"kind\":\"%s\",\"max_length\":%d,"
                        + "\"backend\":\"%s\",\"threads\":%d}%n", Json.quote(server.uri().toString()), Json.quote(info.id()),
                info.kind(), info.maxLength(), info.backend(), info.threads());
        spec.commandLine().getOut().flush();
        server.awaitStop();
        return 0;
    }
}
