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
}
