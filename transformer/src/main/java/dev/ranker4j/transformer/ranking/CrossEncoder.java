package dev.ranker4j.transformer.ranking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ranker4j.autograd.Variable;
import dev.ranker4j.autograd.nn.Dropout;
import dev.ranker4j.autograd.nn.Init;
import dev.ranker4j.autograd.nn.Linear;
import dev.ranker4j.autograd.nn.Module;
import dev.ranker4j.hfio.config.ModelType;
import dev.ranker4j.hfio.config.TransformerConfig;
import dev.ranker4j.hfio.config.TransformerConfigJson;
import dev.ranker4j.tensor.DType;
import dev.ranker4j.tensor.SeededRandom;
import dev.ranker4j.transformer.bert.BertInput;
import dev.ranker4j.transformer.bert.BertOutput;
import dev.ranker4j.transformer.bert.HfCheckpoint;
import dev.ranker4j.transformer.bert.LastLayerPruning;
import dev.ranker4j.transformer.bert.Pooling;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The BERT_CAT cross-encoder ranker (Nogueira &amp; Cho 2019): the encoder reads {@code [CLS] q [SEP] d [SEP]} and a
 * linear layer turns the pair's representation into one relevance score. Exactly Hugging Face's sequence
 * classification models with {@code num_labels = 1}, so checkpoints such as cross-encoder/ms-marco-MiniLM-L-6-v2
 * load and what {@link #save} writes loads in Hugging Face:
 * <pre>
 *   BERT        (BertForSequenceClassification):        s = W_c · dropout(tanh(W_p · h_[CLS] + b_p)) + b_c
 *               keys bert.* (with bert.pooler.dense.*), classifier.{weight,bias}
 *   DistilBERT  (DistilBertForSequenceClassification):  s = W_c · dropout(relu(W_pre · h_[CLS] + b_pre)) + b_c
 *               keys distilbert.*, pre_classifier.{weight,bias}, classifier.{weight,bias}
 * </pre>
 * Both read only h_[CLS] of the last layer, so unless hidden states or attention maps are requested the encoder
 * computes its last layer for that position alone ({@link LastLayerPruning}: the same scores and gradients, fewer
 * FLOPs).
 */
public final class CrossEncoder extends Module {
    private final TransformerConfig config;
    private final Module encoder;
    private final Linear preClassifier;
    private final Linear classifier;
    private final Dropout dropout;
    private boolean pruneLastLayer = LastLayerPruning.enabledByDefault();

    /** The encoder's parameters come from {@code encoderInit}, the head's (and dropout's generator) from {@code headInit}. */
    private CrossEncoder(TransformerConfig config, Init encoderInit, Init headInit, DType dtype) {
        this.config = config;
        boolean bert = config.modelType() == ModelType.BERT;
        encoder = registerModule(bert ? "bert" : "distilbert", Encoders.fromConfig(config, encoderInit, dtype, true));
        preClassifier = bert ? null : registerModule("pre_classifier",
                new Linear(config.hiddenSize(), config.hiddenSize(), true, config.initializerRange(), headInit, dtype));
        classifier = registerModule("classifier", new Linear(config.hiddenSize(), 1, true, config.initializerRange(), headInit, dtype));
        dropout = registerModule("dropout", new Dropout(classifierDropout(config), headInit.generator()));
    }

    /** The head's generator: a different stream from the encoder's, derived from the same seed. */
    private static SeededRandom headRandom(long seed) {
        return new SeededRandom(seed ^ 0x5EED_C1A5L);
    }

    /** HF: {@code classifier_dropout} when set, else the hidden dropout (BERT) / {@code seq_classif_dropout} (DistilBERT). */
    private static double classifierDropout(TransformerConfig config) {
        JsonNode explicit = config.otherFields().get(config.modelType() == ModelType.BERT ? "classifier_dropout" : "seq_classif_dropout");
        return explicit != null && explicit.isNumber() ? explicit.doubleValue() : config.hiddenDropout();
    }

    /** A randomly initialised cross-encoder (HF initialisation: weights N(0, initializer_range²), biases 0). */
    public static CrossEncoder fromConfig(TransformerConfig config, long seed, DType dtype) {
        return new CrossEncoder(config, Init.random(new SeededRandom(seed)), Init.random(headRandom(seed)), dtype);
    }

    /**
     * Loads a Hugging Face directory. A sequence-classification checkpoint fills every parameter; a bare encoder
     * (a pre-trained LM, or a BertModel without pooler) fills the encoder and leaves the pooler and head at their
     * seeded initial values. Only those missing weights are drawn ({@link Init#deferred}): the checkpoint's are read
     * once, never drawn and overwritten. Evaluation mode; call {@link #train()} to fine-tune.
     */
    public static CrossEncoder load(Path directory, DType dtype, long seed) throws IOException {
        return load(directory, dtype, seed, 0);
    }

    /**
     * Like {@link #load(Path, DType, long)}, keeping only the checkpoint's lower {@code layers} transformer layers
     * (0: all of them): a shallower student that starts from its teacher's embeddings, lower layers and head, as
     * distilled rankers do (Gao, Dai and Callan, ICTIR 2020). The layers above are deliberately left unread.
     */
    public static CrossEncoder load(Path directory, DType dtype, long seed, int layers) throws IOException {
        TransformerConfig config = TransformerConfigJson.read(directory.resolve(TransformerConfigJson.FILE_NAME));
        if (layers < 0 || layers > config.numLayers()) {
            throw new IllegalArgumentException(directory + ": cannot keep " + layers + " of its " + config.numLayers() + " layers");
        }
        if (layers > 0) config = config.withNumLayers(layers);
        Init encoderInit = Init.deferred(new SeededRandom(seed)), headInit = Init.deferred(headRandom(seed));
        CrossEncoder model = new CrossEncoder(config, encoderInit, headInit, dtype);
        String prefix = model.encoderName();
        RankingCheckpoint.load(model, directory, dtype, List.of(prefix + ".pooler.dense.weight", prefix + ".pooler.dense.bias",
                "pre_classifier.weight", "pre_classifier.bias", "classifier.weight", "classifier.bias"));
        encoderInit.initializeUnset();
        headInit.initializeUnset();
        model.eval();
        return model;
    }

    /** Writes the HF sequence-classification layout with {@code num_labels = 1} ({@code id2label {0: LABEL_0}}). */
    public void save(Path directory) throws IOException {
        JsonNodeFactory json = JsonNodeFactory.instance;
        ObjectNode id2label = json.objectNode().put("0", "LABEL_0");
        ObjectNode label2id = json.objectNode().put("LABEL_0", 0);
        String architecture = preClassifier == null ? "BertForSequenceClassification" : "DistilBertForSequenceClassification";
        HfCheckpoint.save(this, config, architecture, Map.of("id2label", id2label, "label2id", label2id), directory);
    }

    /** The encoder's parameter prefix: {@code bert} or {@code distilbert}. */
    public String encoderName() {
        return preClassifier == null ? "bert" : "distilbert";
    }

    /**
     * The scores and, on request, the encoder's hidden states and attention probabilities. When the last layer was
     * pruned (nothing but the scores requested), the encoder output's last hidden state holds only [CLS],
     * [B, 1, hidden].
     */
    public record Output(Variable scores, BertOutput encoderOutput) {}

    /** Pairs [B, S] → scores [B] (and the encoder output with what {@code options} asks for). */
    public Output forward(BertInput pairs, BertOutput.Options options) {
        BertOutput out = Encoders.forward(encoder, pairs, LastLayerPruning.firstTokenOnly(options, pruneLastLayer));
        Variable representation = preClassifier == null ? out.pooled()
                : preClassifier.forward(Pooling.cls(out.lastHiddenState())).relu();
        Variable scores = classifier.forward(dropout.forward(representation));
        return new Output(scores.reshape(pairs.batchSize()), out);
    }

    /** Pairs [B, S] → scores [B]. */
    public Variable score(BertInput pairs) {
        return forward(pairs, BertOutput.Options.DEFAULT).scores();
    }

    /**
     * Whether the encoder's last layer is computed for [CLS] only when nothing else is read (default
     * {@link LastLayerPruning#enabledByDefault()}); off runs the full layer, for comparison.
     */
    public void setLastLayerPruning(boolean on) {
        pruneLastLayer = on;
    }

    public boolean lastLayerPruning() {
        return pruneLastLayer;
    }

    /** The parameters' dtype. */
    public DType dtype() {
        return classifier.weight().dtype();
    }

    public TransformerConfig config() {
        return config;
    }

    /** The BertModel or DistilBertModel inside. */
    public Module encoder() {
        return encoder;
    }
}
