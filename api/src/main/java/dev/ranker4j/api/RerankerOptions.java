package dev.ranker4j.api;

/**
 * How a {@link Reranker} is loaded and run. The defaults are {@code ranker4j rerank}'s, so that the API and the
 * command give the same scores: 256 tokens per pair, 32 query tokens for a dual encoder, 32 pairs per forward pass.
 *
 * <pre>{@code
 * RerankerOptions options = RerankerOptions.defaults().withMaxLength(512).withBatchSize(16);
 * }</pre>
 *
 * @param kind           the model kind, or null to {@link RerankerKind#detect detect} it from the directory
 * @param maxLength      tokens per pair (cross-encoder) or per passage (dual encoder), special tokens included
 * @param queryMaxLength tokens per query of a dual encoder (a cross-encoder counts the query in {@code maxLength})
 * @param batchSize      pairs (cross-encoder) or texts (dual encoder) per forward pass; inputs are sorted by length
 *                       into batches, so a batch pads little
 * @param threads        kernel threads; 0 keeps the process's compute backend as it is (by default the CPU backend
 *                       with {@code -Dranker4j.threads}, else all cores). The backend is one per process: a positive
 *                       value installs a CPU backend with that many threads for every model of the process
 */
public record RerankerOptions(RerankerKind kind, int maxLength, int queryMaxLength, int batchSize, int threads) {
    public static final int DEFAULT_MAX_LENGTH = 256;
    public static final int DEFAULT_QUERY_MAX_LENGTH = 32;
    public static final int DEFAULT_BATCH_SIZE = 32;

    public RerankerOptions {
        if (maxLength < 2 || queryMaxLength < 2) {
            throw new IllegalArgumentException("maxLength and queryMaxLength must be at least 2 (the special tokens), got "
                    + maxLength + " and " + queryMaxLength);
        }
        if (batchSize < 1) throw new IllegalArgumentException("batchSize must be positive, got " + batchSize);
        if (threads < 0) throw new IllegalArgumentException("threads must be 0 (keep the backend) or positive, got " + threads);
    }

    public static RerankerOptions defaults() {
        return new RerankerOptions(null, DEFAULT_MAX_LENGTH, DEFAULT_QUERY_MAX_LENGTH, DEFAULT_BATCH_SIZE, 0);
    }

    public RerankerOptions withKind(RerankerKind newKind) {
        return new RerankerOptions(newKind, maxLength, queryMaxLength, batchSize, threads);
    }

    public RerankerOptions withMaxLength(int tokens) {
        return new RerankerOptions(kind, tokens, queryMaxLength, batchSize, threads);
    }

    public RerankerOptions withQueryMaxLength(int tokens) {
        return new RerankerOptions(kind, maxLength, tokens, batchSize, threads);
    }

    public RerankerOptions withBatchSize(int size) {
        return new RerankerOptions(kind, maxLength, queryMaxLength, size, threads);
    }

    public RerankerOptions withThreads(int count) {
        return new RerankerOptions(kind, maxLength, queryMaxLength, batchSize, count);
    }
}
