package dev.ranker4j.transformer.bert;

import dev.ranker4j.autograd.nn.Init;
import dev.ranker4j.autograd.nn.ModuleList;
import dev.ranker4j.hfio.config.ModelType;
import dev.ranker4j.hfio.config.TransformerConfig;
import dev.ranker4j.hfio.safetensors.SafetensorsFile;
import dev.ranker4j.tensor.DType;
import dev.ranker4j.tensor.SeededRandom;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The DistilBERT encoder (Sanh et al. 2019), Hugging Face's {@code DistilBertModel}: word + position embeddings (no
 * token types), {@code n_layers} post-LN layers ({@link DistilBertLayer}), no pooler. Same API as {@link BertModel};
 * keys {@code embeddings.*} and {@code transformer.layer.N.*}, optionally under {@code distilbert.}
 * (DistilBertForSequenceClassification). {@link BertInput#tokenTypeIds()} is ignored.
 */
public final class DistilBertModel extends HfEncoder {
    /** The {@code architectures} entry written by {@link #save}. */
    public static final String ARCHITECTURE = "DistilBertModel";

    private final DistilBertEmbeddings embeddings;
    private final List<DistilBertLayer> layers = new ArrayList<>();

    private DistilBertModel(TransformerConfig config, Init init, DType dtype) {
        super(config, ARCHITECTURE);
        if (config.modelType() != ModelType.DISTILBERT) {
            throw new IllegalArgumentException("DistilBertModel needs a DistilBERT config, got model_type '"
                    + config.modelType().hfName() + "' (use BertModel)");
        }
        embeddings = registerModule("embeddings", new DistilBertEmbeddings(config, init, dtype));
        ModuleGroup transformer = registerModule("transformer", new ModuleGroup());
        ModuleList<DistilBertLayer> layerList = transformer.add("layer", new ModuleList<>());
        for (int i = 0; i < config.numLayers(); i++) layers.add(layerList.add(new DistilBertLayer(config, init, dtype)));
    }

    /** A randomly initialised F32 model (HF initialisation, as {@link BertModel#fromConfig}); training mode. */
    public static DistilBertModel fromConfig(TransformerConfig config, long seed) {
        return fromConfig(config, seed, DType.F32);
    }

    public static DistilBertModel fromConfig(TransformerConfig config, long seed, DType dtype) {
        return fromConfig(config, Init.random(new SeededRandom(seed)), dtype);
    }

    /** A model whose parameters {@code init} creates (eager, or deferred for a loader); see {@link BertModel#fromConfig(TransformerConfig, Init, DType, boolean)}. */
    public static DistilBertModel fromConfig(TransformerConfig config, Init init, DType dtype) {
        return new DistilBertModel(config, init, dtype);
    }

    /** Loads a Hugging Face DistilBERT directory in F32; evaluation mode. */
    public static DistilBertModel load(Path hfDirectory) throws IOException {
        return load(hfDirectory, LoadOptions.DEFAULT);
    }

    /** Loads in {@code options.dtype()}; the pooler option does not apply (DistilBERT has none). */
    public static DistilBertModel load(Path hfDirectory, LoadOptions options) throws IOException {
        Path directory = HfCheckpoint.modelDirectory(hfDirectory);
        TransformerConfig config = HfCheckpoint.readConfig(directory, ModelType.DISTILBERT);
        try (SafetensorsFile weights = SafetensorsFile.open(directory)) {
            Init init = Init.deferred(new SeededRandom(options.seed())); // the checkpoint provides every weight
            return loadDeferred(new DistilBertModel(config, init, options.dtype()), init, weights, List.of());
        }
    }

    /** ids [batch, seq] → last hidden state [batch, seq, dim]; {@link BertOutput#pooled()} is null. */
    public BertOutput forward(BertInput input, BertOutput.Options options) {
        InputChecks.require(input, config());
        return EncoderLayer.runStack(embeddings.forward(input), layers, input, options);
    }

    @Override
    public DType dtype() {
        return embeddings.namedParameters().values().iterator().next().dtype();
    }
}
