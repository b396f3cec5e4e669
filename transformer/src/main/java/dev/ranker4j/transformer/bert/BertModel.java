package dev.ranker4j.transformer.bert;

import dev.ranker4j.autograd.Variable;
import dev.ranker4j.autograd.nn.Init;
import dev.ranker4j.autograd.nn.Linear;
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
 * The BERT encoder (Devlin et al. 2019), Hugging Face's {@code BertModel}: embeddings, {@code numLayers} post-LN
 * transformer layers ({@link BertLayer}), and an optional pooler p = tanh(W · h_[CLS] + b).
 *
 * <p>Written once on autograd ops: the same {@link #forward} trains (records a graph) and serves (inside a
 * {@link dev.ranker4j.autograd.NoGrad} scope, where nothing is recorded). Parameter names are Hugging Face's
 * {@code BertModel} keys ({@code embeddings.word_embeddings.weight}, {@code encoder.layer.0.attention.self.query.weight},
 * {@code pooler.dense.weight}), so {@link #load} and {@link #save} read and write checkpoints without renaming;
 * {@code bert.}-prefixed checkpoints (BertForSequenceClassification) load too.
 *
 * <p>Inside, hidden states are [batch·seq, hidden] matrices, so every dense layer is one GEMM; the public outputs
 * are [batch, seq, hidden] views of them.
 */
public final class BertModel extends HfEncoder {
    /** The {@code architectures} entry written by {@link #save}. */
    public static final String ARCHITECTURE = "BertModel";

    private final BertEmbeddings embeddings;
    private final List<BertLayer> layers = new ArrayList<>();
    private final Linear pooler;

    private BertModel(TransformerConfig config, Init init, DType dtype, boolean withPooler) {
        super(config, ARCHITECTURE);
        if (config.modelType() != ModelType.BERT) {
            throw new IllegalArgumentException("BertModel needs a BERT config, got model_type '" + config.modelType().hfName()
                    + "' (use DistilBertModel)");
        }
        embeddings = registerModule("embeddings", new BertEmbeddings(config, init, dtype));
        ModuleGroup encoder = registerModule("encoder", new ModuleGroup());
        ModuleList<BertLayer> layerList = encoder.add("layer", new ModuleList<>());
        for (int i = 0; i < config.numLayers(); i++) layers.add(layerList.add(new BertLayer(config, init, dtype)));
        pooler = withPooler ? registerModule("pooler", new ModuleGroup())
                .add("dense", new Linear(config.hiddenSize(), config.hiddenSize(), true, config.initializerRange(), init, dtype))
                : null;
    }

    /**
     * A randomly initialised F32 model with a pooler, initialised as Hugging Face does: weights N(0, initializer_range²),
     * biases 0, layer norms 1 and 0, the padding token's embedding row 0. Starts in training mode (dropout on).
     */
    public static BertModel fromConfig(TransformerConfig config, long seed) {
        return fromConfig(config, seed, DType.F32, true);
    }

    /** As {@link #fromConfig(TransformerConfig, long)}, in {@code dtype} (F32 or F64), with or without a pooler. */
    public static BertModel fromConfig(TransformerConfig config, long seed, DType dtype, boolean withPooler) {
        return fromConfig(config, Init.random(new SeededRandom(seed)), dtype, withPooler);
    }

    /**
     * A model whose parameters {@code init} creates: eager, or {@link Init#deferred deferred} for a loader that fills
     * it from a checkpoint (a ranking head around this encoder) and then calls {@link Init#initializeUnset}.
     */
    public static BertModel fromConfig(TransformerConfig config, Init init, DType dtype, boolean withPooler) {
        return new BertModel(config, init, dtype, withPooler);
    }

    /** Loads a Hugging Face BERT directory in F32, with a pooler exactly when the checkpoint has one. */
    public static BertModel load(Path hfDirectory) throws IOException {
        return load(hfDirectory, LoadOptions.DEFAULT);
    }

    /**
     * Loads {@code config.json} and the safetensors weights of a Hugging Face BERT directory (or a
     * sentence-transformers directory's Transformer module). Keys may carry the {@code bert.} prefix; missing and
     * unexpected keys are in {@link #loadReport()}. Fails with a {@link dev.ranker4j.hfio.keys.CheckpointKeyException}
     * naming the keys when a required weight is missing. The model is in evaluation mode (dropout off).
     */
    public static BertModel load(Path hfDirectory, LoadOptions options) throws IOException {
        Path directory = HfCheckpoint.modelDirectory(hfDirectory);
        TransformerConfig config = HfCheckpoint.readConfig(directory, ModelType.BERT);
        try (SafetensorsFile weights = SafetensorsFile.open(directory)) {
            boolean poolerWeight = HfCheckpoint.hasCanonical(weights, "pooler.dense.weight");
            if (poolerWeight != HfCheckpoint.hasCanonical(weights, "pooler.dense.bias")) {
                throw new CheckpointException(weights.source(), "holds pooler.dense." + (poolerWeight ? "weight" : "bias")
                        + " but not pooler.dense." + (poolerWeight ? "bias" : "weight") + " (a damaged checkpoint)");
            }
            boolean withPooler = switch (options.pooler()) {
                case FROM_CHECKPOINT -> poolerWeight;
                case ALWAYS -> true;
                case NEVER -> false;
            };
            // Weights are drawn only for what the checkpoint lacks (a pooler it has none of), not drawn and overwritten.
            Init init = Init.deferred(new SeededRandom(options.seed()));
            BertModel model = new BertModel(config, init, options.dtype(), withPooler);
            List<String> mayBeMissing = withPooler ? List.of("pooler.dense.weight", "pooler.dense.bias") : List.of();
            return loadDeferred(model, init, weights, mayBeMissing);
        }
    }

    /**
     * Encodes a batch. Shapes: ids [batch, seq] → last hidden state [batch, seq, hidden], pooled [batch, hidden].
     * Padding positions get outputs too (they attend to the real tokens), but no real token attends to them.
     */
    public BertOutput forward(BertInput input, BertOutput.Options options) {
        InputChecks.require(input, config());
        BertOutput encoded = EncoderLayer.runStack(embeddings.forward(input), layers, input, options);
        if (pooler == null) return encoded;
        Variable pooled = pooler.forward(Pooling.cls(encoded.lastHiddenState())).tanh();
        return new BertOutput(encoded.lastHiddenState(), pooled, encoded.hiddenStates(), encoded.attentions());
    }

    /** Whether this model has a pooler ({@link BertOutput#pooled()} is non-null). */
    public boolean hasPooler() {
        return pooler != null;
    }

    @Override
    public DType dtype() {
        return embeddings.namedParameters().values().iterator().next().dtype();
    }
}
