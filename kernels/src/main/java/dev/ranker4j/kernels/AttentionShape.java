package dev.ranker4j.kernels;

/**
 * The sizes of one multi-head attention call: {@code batch} sequences of {@code heads} heads of width {@code d};
 * queries have {@code seqQ} tokens, keys and values {@code seqK}.
 */
public record AttentionShape(int batch, int heads, int seqQ, int seqK, int d) {}
