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
import dev.ranker4j.hfio.safetensors.SafetensorsFile;
import dev.ranker4j.transformer.bert.BertOutput;
import dev.ranker4j.transformer.bert.CheckpointException;
import dev.ranker4j.transformer.bert.CheckpointWeights;
import dev.ranker4j.transformer.bert.HfCheckpoint;
import dev.ranker4j.transformer.bert.LastLayerPruning;
import dev.ranker4j.transformer.bert.Pooling;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
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
    private List<String> initialised = List.of();

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

    /** Where a loaded cross-encoder's classification head comes from. */
    public enum Head {
        /**
         * The checkpoint's ({@code classifier.*}, BERT's pooler, DistilBERT's {@code pre_classifier.*}); a directory
         * without one is refused, naming what is missing and how to get a cross-encoder. For scoring and teachers.
         */
        FROM_CHECKPOINT,
        /**
         * The checkpoint's when it has one; a new seeded head when the directory is a bare encoder (no head weight
         * at all, and config.json's {@code architectures} names no sequence-classification class): fine-tuning a
         * pre-trained LM or sentence encoder, the usual start. A partial head, or a classification config whose
         * weights lack the head, is refused.
         */
        NEW_IF_ENCODER_ONLY,
        /** Always a new seeded head (classifier and pre_classifier), whatever the checkpoint holds. */
        NEW
    }

    /**
     * Loads a Hugging Face directory with its own classification head ({@link Head#FROM_CHECKPOINT}): for scoring.
     * Evaluation mode; call {@link #train()} to fine-tune.
     */
    public static CrossEncoder load(Path directory, DType dtype, long seed) throws IOException {
        return load(directory, dtype, seed, 0, Head.FROM_CHECKPOINT);
    }

    /**
     * Loads a Hugging Face directory: the encoder from its weights, the head as {@code head} says. Only the weights
     * the checkpoint lacks are drawn ({@link Init#deferred}): the checkpoint's are read once, never drawn and
     * overwritten. With {@code layers > 0} only the checkpoint's lower {@code layers} transformer layers are kept: a
     * shallower student that starts from its teacher's embeddings, lower layers and head, as distilled rankers do
     * (Gao, Dai and Callan, ICTIR 2020); the layers above are deliberately left unread. Every other weight of the
     * checkpoint's encoder must be read, and every weight must be a finite float of the configured shape
     * ({@link dev.ranker4j.transformer.bert.CheckpointWeights}). Evaluation mode; call {@link #train()} to fine-tune.
     */
    public static CrossEncoder load(Path directory, DType dtype, long seed, int layers, Head head) throws IOException {
        Path configFile = directory.resolve(TransformerConfigJson.FILE_NAME);
        TransformerConfig config = TransformerConfigJson.read(configFile);
        if (layers < 0 || layers > config.numLayers()) {
            throw new IllegalArgumentException(directory + ": cannot keep " + layers + " of its " + config.numLayers() + " layers");
        }
        int fullDepth = config.numLayers();
        if (layers > 0) config = config.withNumLayers(layers);
        Init encoderInit = Init.deferred(new SeededRandom(seed)), headInit = Init.deferred(headRandom(seed));
        CrossEncoder model = new CrossEncoder(config, encoderInit, headInit, dtype);
        String prefix = model.encoderName();
        List<String> pooler = model.preClassifier == null ? List.of(prefix + ".pooler.dense.weight", prefix + ".pooler.dense.bias") : List.of();
        List<String> classifier = model.preClassifier == null ? List.of("classifier.weight", "classifier.bias")
                : List.of("pre_classifier.weight", "pre_classifier.bias", "classifier.weight", "classifier.bias");
        List<String> present;
        try (SafetensorsFile weights = SafetensorsFile.open(directory)) {
            present = classifier.stream().filter(weights::contains).toList();
        }
        boolean classificationConfig = config.architectures().stream().anyMatch(a -> a.endsWith("ForSequenceClassification"));
        List<String> mayBeMissing = new ArrayList<>(pooler), fresh = new ArrayList<>();
        switch (head) {
            case FROM_CHECKPOINT -> {
                if (present.isEmpty()) throw noHead(directory, config, classifier);
                mayBeMissing.clear();
            }
            case NEW_IF_ENCODER_ONLY -> {
                if (!present.isEmpty() && present.size() < classifier.size()) {
                    throw new CheckpointException(directory, "holds part of a classification head " + present + " but not "
                            + classifier.stream().filter(k -> !present.contains(k)).toList()
                            + " (a damaged checkpoint? set \"head\": \"new\" in the model section to start a new head)");
                }
                if (present.isEmpty() && classificationConfig) {
                    throw new CheckpointException(directory, "config.json's architectures say " + config.architectures()
                            + " but the weights hold no classification head " + classifier + " (a damaged checkpoint?"
                            + " set \"head\": \"new\" in the model section to start a new head anyway)");
                }
                if (present.isEmpty()) fresh.addAll(classifier);
                else mayBeMissing.clear();
            }
            case NEW -> fresh.addAll(classifier);
        }
        int kept = layers;
        RankingCheckpoint.Loaded loaded = RankingCheckpoint.load(model, config.withNumLayers(fullDepth), directory, dtype,
                mayBeMissing, fresh, name -> kept > 0 && CheckpointWeights.layerIndex(name) >= kept
                        && CheckpointWeights.layerIndex(name) < fullDepth);
        encoderInit.initializeUnset();
        headInit.initializeUnset();
        model.initialised = List.copyOf(loaded.initialised());
        model.eval();
        return model;
    }

    private static CheckpointException noHead(Path directory, TransformerConfig config, List<String> classifier) {
        String kind = config.architectures().isEmpty() ? "an encoder" : String.join(", ", config.architectures());
        return new CheckpointException(directory, "has no classification head (" + String.join(", ", classifier)
                + "): it holds " + kind + ", not a cross-encoder. Give a cross-encoder directory (one `ranker4j train`"
                + " wrote, e.g. RUN/best-checkpoint, or a Hub cross-encoder such as cross-encoder/ms-marco-MiniLM-L-6-v2),"
                + " or train one from this encoder (examples/lce-cross-encoder.json)");
    }

    /** The parameters the last {@link #load} initialised instead of reading (a new head); empty otherwise. */
    public List<String> initialisedParameters() {
        return initialised;
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
