package dev.ranker4j.ir.retrieval;

import java.util.List;

/**
 * Turns texts into fixed-size vectors: the query and passage tower of a dual encoder (a sentence-transformers model,
 * a TAS-B or RocketQA retriever). Retrieval code depends on this interface only, so it can be built and tested with
 * any encoder, including a toy one.
 */
@FunctionalInterface
public interface TextEncoder {
    /**
     * Encodes {@code texts}, each truncated to at most {@code maxLength} tokens (special tokens included).
     *
     * @return one vector per text, in input order, all of the same length
     */
    float[][] encode(List<String> texts, int maxLength);

    /**
     * This encoder called on at most {@code batchSize} consecutive texts at a time (one forward pass each), so a
     * caller may hand it any number of texts without the activations of all of them at once.
     */
    default TextEncoder inBatchesOf(int batchSize) {
        if (batchSize < 1) throw new IllegalArgumentException("batchSize must be positive: " + batchSize);
        return (texts, maxLength) -> {
            float[][] vectors = new float[texts.size()][];
            for (int start = 0; start < texts.size(); start += batchSize) {
                int end = Math.min(texts.size(), start + batchSize);
                float[][] batch = encode(texts.subList(start, end), maxLength);
                System.arraycopy(batch, 0, vectors, start, end - start);
            }
            return vectors;
        };
    }
}
