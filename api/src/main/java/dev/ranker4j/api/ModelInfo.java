package dev.ranker4j.api;

import java.nio.file.Path;

/**
 * What a loaded {@link Reranker} or {@link Embedder} is and how it runs (the server's {@code GET /info}).
 *
 * @param id         the model as it was named: a directory or a Hub id
 * @param directory  the directory the weights were read from (a Hub id's cached snapshot)
 * @param kind       {@code cross_encoder} or {@code dual_encoder}
 * @param maxLength  tokens per pair (cross-encoder) or text, special tokens included
 * @param batchSize  pairs or texts per forward pass
 * @param hiddenSize the encoder's width: an embedding's dimension
 * @param pooling    {@code cls} or {@code mean} for a dual encoder; null for a cross-encoder
 * @param normalizes whether embeddings come out unit-length
 * @param dtype      the weights' type as computed: {@code float32}
 * @param backend    the compute backend now in use, e.g. {@code cpu}
 * @param threads    its thread count
 */
public record ModelInfo(String id, Path directory, String kind, int maxLength, int batchSize, int hiddenSize,
                        String pooling, boolean normalizes, String dtype, String backend, int threads) {}
