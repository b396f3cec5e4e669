package dev.ranker4j.transformer.bert;

import dev.ranker4j.autograd.nn.Init;
import dev.ranker4j.autograd.nn.Module;
import dev.ranker4j.hfio.config.TransformerConfig;
import dev.ranker4j.hfio.keys.LoadReport;
import dev.ranker4j.hfio.safetensors.SafetensorsFile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;

/**
 * The checkpoint plumbing {@link BertModel} and {@link DistilBertModel} share: the config, writing the model as a
 * Hugging Face directory under its architecture name, and loading weights into a model built with a
 * {@link Init#deferred deferred} Init. Each subclass keeps only its layers and its forward.
 */
public abstract sealed class HfEncoder extends Module implements TransformerEncoder permits BertModel, DistilBertModel {
    private final TransformerConfig config;
    private final String architecture;
    private LoadReport loadReport;

    HfEncoder(TransformerConfig config, String architecture) {
        this.config = config;
        this.architecture = architecture;
    }

    /**
     * Fills {@code model}, built with the deferred {@code init}, from {@code weights}; draws only the parameters the
     * checkpoint lacks (those in {@code mayBeMissing}); evaluation mode (dropout off).
     */
    static <M extends HfEncoder> M loadDeferred(M model, Init init, SafetensorsFile weights,
                                               Collection<String> mayBeMissing) throws IOException {
        model.loadWeights(weights, mayBeMissing);
        init.initializeUnset();
        model.eval();
        return model;
    }

    /**
     * Writes {@code model.safetensors} under this model's Hugging Face key names and {@code config.json} (naming its
     * architecture, e.g. {@code BertModel}) into {@code hfDirectory}, each file atomically.
     */
    public void save(Path hfDirectory) throws IOException {
        HfCheckpoint.save(this, config, architecture, hfDirectory);
    }

    /** {@link #forward(BertInput, BertOutput.Options)} with the default outputs. */
    public BertOutput forward(BertInput input) {
        return forward(input, BertOutput.Options.DEFAULT);
    }

    @Override
    public TransformerConfig config() {
        return config;
    }

    /**
     * Copies the parameters found in an open safetensors file into this model (any encoder prefix; keys of other
     * heads are reported as unexpected, not an error), converting to this model's dtype. Fails naming the keys when
     * a parameter outside {@code mayBeMissing} is absent, a shape differs, a weight is not a finite float, or an
     * encoder weight would be left unread ({@link CheckpointWeights}).
     */
    public LoadReport loadWeights(SafetensorsFile weights, Collection<String> mayBeMissing) throws IOException {
        loadReport = HfCheckpoint.loadInto(this, config, weights, dtype(), mayBeMissing);
        return loadReport;
    }

    /** How the checkpoint's keys matched, for a loaded model; null for one built from a config. */
    public LoadReport loadReport() {
        return loadReport;
    }

    /** The parameters' dtype. */
    public abstract dev.ranker4j.tensor.DType dtype();
}
