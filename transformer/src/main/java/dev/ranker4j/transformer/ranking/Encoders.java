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

    /** A BERT or DistilBERT encoder from an HF directory (or sentence-transformers directory), by its model_type. */
    public static Module load(java.nio.file.Path directory, DType dtype) throws java.io.IOException {
        java.nio.file.Path modelDirectory = dev.ranker4j.transformer.io.keys.SentenceTransformersDirectory.detect(directory)
                .map(dev.ranker4j.transformer.io.keys.SentenceTransformersDirectory::transformerDirectory).orElse(directory);
        TransformerConfig config = dev.ranker4j.transformer.io.config.TransformerConfigJson.read(
                modelDirectory.resolve(dev.ranker4j.transformer.io.config.TransformerConfigJson.FILE_NAME));
        dev.ranker4j.transformer.bert.LoadOptions options = dev.ranker4j.transformer.bert.LoadOptions.DEFAULT.withDtype(dtype);
        return config.modelType() == ModelType.BERT ? BertModel.load(modelDirectory, options) : DistilBertModel.load(modelDirectory, options);
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
