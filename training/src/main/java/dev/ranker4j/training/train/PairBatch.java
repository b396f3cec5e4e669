package dev.ranker4j.training.train;

import dev.ranker4j.tensor.Tensor;
import dev.ranker4j.transformer.bert.BertInput;

/**
 * (query, passage) pairs for a cross-encoder, [CLS] q [SEP] p [SEP] per row, grouped by query with the positive
 * first in each group of {@code groupSize} rows.
 *
 * @param pairs     [queries·groupSize, seq]
 * @param groupSize rows per query (1 for pointwise data)
 * @param labels    [rows] relevance labels for pointwise BCE, or null
 */
public record PairBatch(BertInput pairs, int groupSize, Tensor labels) {
    public PairBatch {
        if (groupSize < 1 || pairs.batchSize() % groupSize != 0) {
            throw new IllegalArgumentException("PairBatch: " + pairs.batchSize() + " rows do not form groups of " + groupSize);
        }
    }

    public int queries() {
        return pairs.batchSize() / groupSize;
    }
}
