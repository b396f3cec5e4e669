package dev.ranker4j.transformer.bert;

import dev.ranker4j.hfio.config.ConfigException;
import dev.ranker4j.hfio.config.TransformerConfig;
import dev.ranker4j.hfio.config.TransformerConfigJson;
import dev.ranker4j.tensor.Tensor;

import java.nio.file.Path;

/** Small configs and inputs for fast model tests. */
final class TinyConfigs {
    private TinyConfigs() {}

    static TransformerConfig bert(String activation) {
        return parse("""
                {"model_type": "bert", "vocab_size": 30, "hidden_size": 8, "num_hidden_layers": 2,
                 "num_attention_heads": 2, "intermediate_size": 12, "max_position_embeddings": 16,
                 "type_vocab_size": 2, "hidden_act": "%s", "hidden_dropout_prob": 0.1,
                 "attention_probs_dropout_prob": 0.1, "initializer_range": 0.5}""".formatted(activation));
    }

    static TransformerConfig distilBert() {
        return parse("""
                {"model_type": "distilbert", "vocab_size": 30, "dim": 8, "n_layers": 2, "n_heads": 2,
                 "hidden_dim": 12, "max_position_embeddings": 16, "activation": "gelu", "dropout": 0.1,
                 "attention_dropout": 0.1, "initializer_range": 0.5, "sinusoidal_pos_embds": true}""");
    }

    private static TransformerConfig parse(String json) {
        try {
            return TransformerConfigJson.parse(Path.of("tiny-config.json"), json);
        } catch (ConfigException e) {
            throw new AssertionError(e);
        }
    }

    /** Two rows, the second padded after 3 tokens; token types 0 then 1. */
    static BertInput paddedBatch() {
        long[] ids = {2, 7, 11, 5, 3, 2, 9, 3, 0, 0};
        long[] mask = {1, 1, 1, 1, 1, 1, 1, 1, 0, 0};
        long[] types = {0, 0, 0, 1, 1, 0, 0, 1, 0, 0};
        return new BertInput(Tensor.fromArray(ids, 2, 5), Tensor.fromArray(mask, 2, 5), Tensor.fromArray(types, 2, 5));
    }
}
