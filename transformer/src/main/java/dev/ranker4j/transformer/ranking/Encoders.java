package dev.ranker4j.transformer.ranking;

import dev.ranker4j.autograd.nn.Module;
import dev.ranker4j.tensor.DType;
import dev.ranker4j.transformer.bert.BertInput;
import dev.ranker4j.transformer.bert.BertModel;
import dev.ranker4j.transformer.bert.BertOutput;
import dev.ranker4j.transformer.bert.DistilBertModel;
import dev.ranker4j.transformer.io.config.ModelType;
import dev.ranker4j.transformer.io.config.TransformerConfig;

/**
 * One entry point for the two encoder families (BERT and DistilBERT), which share no supertype beyond
 * {@link Module}: ranking heads hold either and call these.
 */
public final class Encoders {
    private Encoders() {}

    /** A freshly initialised encoder of the config's family (a BERT one with or without a pooler). */
    public static Module fromConfig(TransformerConfig config, long seed, DType dtype, boolean withPooler) {
        return config.modelType() == ModelType.BERT ? BertModel.fromConfig(config, seed, dtype, withPooler)
                : DistilBertModel.fromConfig(config, seed, dtype);
    }

    public static BertOutput forward(Module encoder, BertInput input, BertOutput.Options options) {
        return switch (encoder) {
            case BertModel bert -> bert.forward(input, options);
            case DistilBertModel distil -> distil.forward(input, options);
            default -> throw new IllegalArgumentException("not an encoder: " + encoder.getClass().getName());
        };
    }

    public static TransformerConfig config(Module encoder) {
        return switch (encoder) {
            case BertModel bert -> bert.config();
            case DistilBertModel distil -> distil.config();
            default -> throw new IllegalArgumentException("not an encoder: " + encoder.getClass().getName());
        };
    }
}
