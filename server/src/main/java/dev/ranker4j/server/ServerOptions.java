package dev.ranker4j.server;

import java.time.Duration;

/**
 * How the server listens, batches and protects itself. The defaults follow text-embeddings-inference where it has
 * the same setting (payload limit, auto-truncate off, port aside).
 *
 * @param host               the address to listen on ({@code 0.0.0.0}: every interface)
 * @param port               the port (0: any free port, see {@link RankerServer#address()})
 * @param maxBatch           pairs or texts gathered from queued requests into one round of forward passes; a larger
 *                           request runs alone, never split
 * @param maxWait            how long the first request of a round waits for company when the queue is empty
 * @param maxQueue           requests that may wait for the model; one more is answered 429
 * @param maxClientBatchSize texts per request; more is answered 413 (TEI's {@code --max-client-batch-size})
 * @param payloadLimit       bytes per request body; more is answered 413 (TEI's {@code --payload-limit})
 * @param autoTruncate       truncate inputs longer than the model reads when a request does not say
 *                           {@code "truncate"}; otherwise they are answered 413 (TEI's {@code --auto-truncate})
 * @param shutdownTimeout    on shutdown (SIGTERM), how long requests already accepted may take to finish
 */
public record ServerOptions(String host, int port, int maxBatch, Duration maxWait, int maxQueue, int maxClientBatchSize,
                            int payloadLimit, boolean autoTruncate, Duration shutdownTimeout) {
    public ServerOptions {
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port must be in 0..65535, got " + port);
        if (maxBatch < 1 || maxQueue < 1 || maxClientBatchSize < 1 || payloadLimit < 1) {
            throw new IllegalArgumentException("maxBatch, maxQueue, maxClientBatchSize and payloadLimit must be positive: "
                    + maxBatch + ", " + maxQueue + ", " + maxClientBatchSize + ", " + payloadLimit);
        }
        if (payloadLimit > 1 << 30) throw new IllegalArgumentException("payloadLimit must be at most 1 GiB, got " + payloadLimit);
        if (maxWait.isNegative() || shutdownTimeout.isNegative()) {
            throw new IllegalArgumentException("maxWait and shutdownTimeout must not be negative");
        }
    }

    public static ServerOptions defaults() {
        return new ServerOptions("0.0.0.0", 8080, 128, Duration.ofMillis(5), 256, 256, 2_000_000, false,
                Duration.ofSeconds(30));
    }

    public ServerOptions withAddress(String newHost, int newPort) {
        return new ServerOptions(newHost, newPort, maxBatch, maxWait, maxQueue, maxClientBatchSize, payloadLimit,
                autoTruncate, shutdownTimeout);
    }

    public ServerOptions withBatching(int newMaxBatch, Duration newMaxWait, int newMaxQueue) {
        return new ServerOptions(host, port, newMaxBatch, newMaxWait, newMaxQueue, maxClientBatchSize, payloadLimit,
                autoTruncate, shutdownTimeout);
    }

    public ServerOptions withLimits(int newMaxClientBatchSize, int newPayloadLimit, boolean newAutoTruncate) {
        return new ServerOptions(host, port, maxBatch, maxWait, maxQueue, newMaxClientBatchSize, newPayloadLimit,
                newAutoTruncate, shutdownTimeout);
    }

    public ServerOptions withShutdownTimeout(Duration timeout) {
        return new ServerOptions(host, port, maxBatch, maxWait, maxQueue, maxClientBatchSize, payloadLimit, autoTruncate,
                timeout);
    }
}
