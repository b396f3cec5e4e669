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
 * BERT's input layer: h = Dropout(LayerNorm(E_word[id] + E_position[i] + E_type[type])), [batch, seq, hidden].
 * Hugging Face names: {@code embeddings.word_embeddings}, {@code position_embeddings}, {@code token_type_embeddings},
 * {@code LayerNorm}.
 */
final class BertEmbeddings extends Module {
    private final Embedding word, position, tokenType;
    private final LayerNorm layerNorm;
    private final Dropout dropout;

    BertEmbeddings(TransformerConfig config, Init init, DType dtype) {
        double std = config.initializerRange();
        word = registerModule("word_embeddings", new Embedding(config.vocabSize(), config.hiddenSize(), std, init, dtype));
        position = registerModule("position_embeddings", new Embedding(config.maxPositions(), config.hiddenSize(), std, init, dtype));
        tokenType = registerModule("token_type_embeddings", new Embedding(config.typeVocabSize(), config.hiddenSize(), std, init, dtype));
        layerNorm = registerModule("LayerNorm", new LayerNorm(config.hiddenSize(), config.layerNormEps(), dtype));
        dropout = registerModule("dropout", new Dropout(config.hiddenDropout(), init.generator()));
        // Hugging Face zeroes the padding token's row at initialisation (nn.Embedding padding_idx).
        word.weight().value().select(0, config.padTokenId()).fill(0);
    }

    Variable forward(BertInput input) {
        int seq = input.sequenceLength();
        Variable sum = word.forward(input.inputIds())
                .add(position.forward(Positions.ids(seq)))                   // [seq, hidden] broadcast over the batch
                .add(tokenType.forward(input.tokenTypesOrZeros()));
        return dropout.forward(layerNorm.forward(sum));
    }
}
