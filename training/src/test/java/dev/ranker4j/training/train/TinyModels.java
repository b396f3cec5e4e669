package dev.ranker4j.training.train;

import dev.ranker4j.hfio.config.TransformerConfig;
import dev.ranker4j.hfio.config.TransformerConfigJson;
import dev.ranker4j.tensor.Tensor;
import dev.ranker4j.transformer.bert.BertInput;

import java.nio.file.Path;
import java.util.SplittableRandom;

/** A tiny BERT config and random batches for trainer tests. */
final class TinyModels {
    private TinyModels() {}

    static TransformerConfig config(double dropout) {
        String json = """
                {"model_type": "bert", "vocab_size": 64, "hidden_size": 16, "num_hidden_layers": 2, "num_attention_heads": 2,
                 "intermediate_size": 32, "max_position_embeddings": 32, "type_vocab_size": 2, "layer_norm_eps": 1e-12,
                 "hidden_act": "gelu", "hidden_dropout_prob": %s, "attention_probs_dropout_prob": %s,
                 "initializer_range": 0.05, "pad_token_id": 0}""".formatted(dropout, dropout);
        try {
            return TransformerConfigJson.parse(Path.of("tiny-config.json"), json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Random ids [rows, seq] with [CLS] = 2 first, the last {@code padding} positions padded. */
    static BertInput input(long seed, int rows, int seq, int padding, boolean withTypes) {
        SplittableRandom r = new SplittableRandom(seed);
        long[] ids = new long[rows * seq], mask = new long[rows * seq], types = new long[rows * seq];
        for (int i = 0; i < rows; i++) {
            int real = seq - (i % 2 == 0 ? 0 : padding);
            for (int j = 0; j < seq; j++) {
                ids[i * seq + j] = j == 0 ? 2 : j < real ? 5 + r.nextInt(59) : 0;
                mask[i * seq + j] = j < real ? 1 : 0;
                types[i * seq + j] = j >= seq / 2 && j < real ? 1 : 0;
            }
        }
        return new BertInput(Tensor.fromArray(ids, rows, seq), Tensor.fromArray(mask, rows, seq),
                withTypes ? Tensor.fromArray(types, rows, seq) : null);
    }
}
