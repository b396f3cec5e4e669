package dev.ranker4j.transformer.bert;

import dev.ranker4j.hfio.config.TransformerConfig;
import dev.ranker4j.tensor.Tensor;

/** Checks a batch against a model's config before the lookups, so errors name the field and the limit. */
final class InputChecks {
    private InputChecks() {}

    static void require(BertInput input, TransformerConfig config) {
        if (input.sequenceLength() > config.maxPositions()) {
            throw new IllegalArgumentException("sequence length " + input.sequenceLength() + " exceeds the model's "
                    + "max_position_embeddings " + config.maxPositions() + "; truncate the input");
        }
        inRange("inputIds", input.inputIds(), config.vocabSize(), "vocab_size");
        if (input.tokenTypeIds() != null && config.typeVocabSize() > 0) {
            inRange("tokenTypeIds", input.tokenTypeIds(), config.typeVocabSize(), "type_vocab_size");
        }
    }

    private static void inRange(String field, Tensor ids, int limit, String key) {
        long[] values = ids.contiguous().toLongArray();
        for (int i = 0; i < values.length; i++) {
            if (values[i] < 0 || values[i] >= limit) {
                int seq = ids.size(1);
                throw new IllegalArgumentException(field + "[" + i / seq + ", " + i % seq + "] = " + values[i]
                        + " is outside [0, " + limit + ") (" + key + ")");
            }
        }
    }
}
