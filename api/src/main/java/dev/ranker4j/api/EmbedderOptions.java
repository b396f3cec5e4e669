package dev.ranker4j.api;

/**
 * How an {@link Embedder} is loaded and run. The defaults are {@code ranker4j encode}'s, so that the API and the
 * command give the same vectors: 256 tokens per text, 32 texts per forward pass, normalisation as the model
 * directory says. Pooling (CLS or mean) always comes from the directory ({@code 1_Pooling/config.json}; mean when it
 * has no sentence-transformers files).
 *
 * <pre>{@code
 * EmbedderOptions options = EmbedderOptions.defaults().withNormalize(true).withMaxLength(512);
 * }</pre>
 *
 * @param maxLength tokens per text, special tokens included; longer texts are truncated
 * @param batchSize texts per forward pass; texts are sorted by length into batches, so a batch pads little
 * @param threads   kernel threads; 0 keeps the process's compute backend as it is. The backend is one per process: a
 *                  positive value installs a CPU backend with that many threads for every model of the process
 * @param normalize true: unit-length vectors (as {@code encode --normalize}); false: the pooled vectors as they are,
 *                  even when the directory lists a Normalize module; null: as the directory says
 */
public record EmbedderOptions(int maxLength, int batchSize, int threads, Boolean normalize) {
    public static final int DEFAULT_MAX_LENGTH = 256;
    public static final int DEFAULT_BATCH_SIZE = 32;

    public EmbedderOptions {
        if (maxLength < 2) throw new IllegalArgumentException("maxLength must be at least 2 (the special tokens), got " + maxLength);
        if (batchSize < 1) throw new IllegalArgumentException("batchSize must be positive, got " + batchSize);
        if (threads < 0) throw new IllegalArgumentException("threads must be 0 (keep the backend) or positive, got " + threads);
    }

    public static EmbedderOptions defaults() {
        return new EmbedderOptions(DEFAULT_MAX_LENGTH, DEFAULT_BATCH_SIZE, 0, null);
    }

    public EmbedderOptions withMaxLength(int tokens) {
        return new EmbedderOptions(tokens, batchSize, threads, normalize);
    }

    public EmbedderOptions withBatchSize(int size) {
        return new EmbedderOptions(maxLength, size, threads, normalize);
    }

    public EmbedderOptions withThreads(int count) {
        return new EmbedderOptions(maxLength, batchSize, count, normalize);
    }

    public EmbedderOptions withNormalize(Boolean on) {
        return new EmbedderOptions(maxLength, batchSize, threads, on);
    }
}
