package dev.ranker4j.transformer.ranking;

import dev.ranker4j.autograd.nn.Init;
import dev.ranker4j.autograd.nn.Module;
import dev.ranker4j.hfio.config.ModelType;
import dev.ranker4j.hfio.config.TransformerConfig;
import dev.ranker4j.tensor.DType;
import dev.ranker4j.tensor.SeededRandom;
import dev.ranker4j.transformer.bert.BertInput;
import dev.ranker4j.transformer.bert.BertModel;
import dev.ranker4j.transformer.bert.BertOutput;
import dev.ranker4j.transformer.bert.DistilBertModel;
import dev.ranker4j.transformer.bert.LoadOptions;
import dev.ranker4j.transformer.bert.TransformerEncoder;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Ranking heads hold their encoder as a {@link Module} (so its parameters nest under the head's names) that is also
 * a {@link TransformerEncoder} (BERT or DistilBERT); these helpers create, load and call one.
 */
public final class Encoders {
    private Encoders() {}

    /** A freshly initialised encoder of the config's family (a BERT one with or without a pooler). */
    public static Module fromConfig(TransformerConfig config, long seed, DType dtype, boolean withPooler) {
        return fromConfig(config, Init.random(new SeededRandom(seed)), dtype, withPooler);
    }

    /** As {@link #fromConfig(TransformerConfig, long, DType, boolean)}, its parameters created by {@code init}. */
    public static Module fromConfig(TransformerConfig config, Init init, DType dtype, boolean withPooler) {
        return config.modelType() == ModelType.BERT ? BertModel.fromConfig(config, init, dtype, withPooler)
                : DistilBertModel.fromConfig(config, init, dtype);
    }

    /** A BERT or DistilBERT encoder from an HF (or sentence-transformers) directory, by its model_type. */
    public static Module load(Path directory, DType dtype) throws IOException {
        return (Module) TransformerEncoder.load(directory, LoadOptions.DEFAULT.withDtype(dtype));
    }

    public static BertOutput forward(Module encoder, BertInput input, BertOutput.Options options) {
        return asEncoder(encoder).forward(input, options);
    }

    public static TransformerConfig config(Module encoder) {
        return asEncoder(encoder).config();
    }

    private static TransformerEncoder asEncoder(Module module) {
        if (module instanceof TransformerEncoder encoder) return encoder;
        throw new IllegalArgumentException("not an encoder: " + module.getClass().getName());
    }
}
