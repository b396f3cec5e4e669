package dev.ranker4j.transformer.bert;

import dev.ranker4j.autograd.Variable;
import dev.ranker4j.autograd.nn.Dropout;
import dev.ranker4j.autograd.nn.Embedding;
import dev.ranker4j.autograd.nn.Init;
import dev.ranker4j.autograd.nn.LayerNorm;
import dev.ranker4j.autograd.nn.Module;
import dev.ranker4j.hfio.config.TransformerConfig;
import dev.ranker4j.tensor.DType;
import dev.ranker4j.tensor.Tensor;

/**
 * DistilBERT's input layer: h = Dropout(LayerNorm(E_word[id] + E_position[i])) — no token types. With
 * {@code sinusoidal_pos_embds} the position table starts as Vaswani et al.'s fixed encoding
 * PE(pos, 2j) = sin(pos / 10000^(2j/dim)), PE(pos, 2j+1) = cos(pos / 10000^(2j/dim)).
 */
final class DistilBertEmbeddings extends Module {
    private final Embedding word, position;
    private final LayerNorm layerNorm;
    private final Dropout dropout;

    DistilBertEmbeddings(TransformerConfig config, Init init, DType dtype) {
        double std = config.initializerRange();
        int dim = config.hiddenSize();
        word = registerModule("word_embeddings", new Embedding(config.vocabSize(), dim, std, init, dtype));
        position = registerModule("position_embeddings", new Embedding(config.maxPositions(), dim, std, init, dtype));
        layerNorm = registerModule("LayerNorm", new LayerNorm(dim, TransformerConfig.DISTILBERT_LAYER_NORM_EPS, dtype));
        dropout = registerModule("dropout", new Dropout(config.hiddenDropout(), init.generator()));
        word.weight().value().select(0, config.padTokenId()).fill(0);
        if (config.sinusoidalPositions()) position.weight().set(sinusoidal(config.maxPositions(), dim).to(dtype));
    }

    Variable forward(BertInput input) {
        Variable sum = word.forward(input.inputIds()).add(position.forward(Positions.ids(input.sequenceLength())));
        return dropout.forward(layerNorm.forward(sum));
    }

    static Tensor sinusoidal(int positions, int dim) {
        double[] table = new double[positions * dim];
        for (int pos = 0; pos < positions; pos++) {
            for (int j = 0; j < dim; j++) {
                double angle = pos / Math.pow(10000, 2.0 * (j / 2) / dim);
                table[pos * dim + j] = j % 2 == 0 ? Math.sin(angle) : Math.cos(angle);
            }
        }
        return Tensor.fromArray(table, positions, dim);
    }
}
