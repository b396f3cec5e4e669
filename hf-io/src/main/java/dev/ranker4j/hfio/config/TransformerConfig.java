package dev.ranker4j.hfio.config;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The architecture of a BERT or DistilBERT encoder, read from a Hugging Face {@code config.json}, in one shape for
 * both families. DistilBERT's own key names map onto the same components ({@code dim} = hiddenSize, {@code n_layers}
 * = numLayers, {@code n_heads} = numHeads, {@code hidden_dim} = intermediateSize, {@code activation},
 * {@code dropout}, {@code attention_dropout}); DistilBERT has no token types ({@code typeVocabSize} 0) and its
 * layer norms use eps 1e-12.
 *
 * <p>The constructor validates: sizes positive, hidden size divisible by the number of heads, dropout
 * probabilities in [0, 1), eps positive, pad token inside the vocabulary; the error names the JSON key.
 *
 * @param modelType           {@code model_type}
 * @param architectures       {@code architectures}, e.g. {@code ["BertForSequenceClassification"]} (may be empty)
 * @param vocabSize           rows of the word embedding
 * @param hiddenSize          width of every layer
 * @param numLayers           transformer layers
 * @param numHeads            attention heads per layer; head size = hiddenSize / numHeads
 * @param intermediateSize    width of the feed-forward inner layer
 * @param maxPositions        rows of the position embedding
 * @param typeVocabSize       rows of the token-type embedding (BERT; 0 for DistilBERT)
 * @param layerNormEps        epsilon added to the variance in every layer norm
 * @param activation          feed-forward activation
 * @param hiddenDropout       dropout on embeddings and layer outputs
 * @param attentionDropout    dropout on attention probabilities
 * @param padTokenId          id of the padding token
 * @param sinusoidalPositions DistilBERT {@code sinusoidal_pos_embds}: fixed sinusoidal position embeddings
 * @param initializerRange    standard deviation of the truncated-normal weight initialisation
 * @param otherFields         every other key of the file, kept so that writing the config back loses nothing
 *                            (e.g. {@code id2label}, {@code torch_dtype}, {@code transformers_version})
 */
public record TransformerConfig(
        ModelType modelType,
        List<String> architectures,
        int vocabSize,
        int hiddenSize,
        int numLayers,
        int numHeads,
        int intermediateSize,
        int maxPositions,
        int typeVocabSize,
        double layerNormEps,
        Activation activation,
        double hiddenDropout,
        double attentionDropout,
        int padTokenId,
        boolean sinusoidalPositions,
        double initializerRange,
        Map<String, JsonNode> otherFields) {

    /** The same architecture with its first {@code layers} transformer layers only (a student cut from a teacher). */
    public TransformerConfig withNumLayers(int layers) {
        return new TransformerConfig(modelType, architectures, vocabSize, hiddenSize, layers, numHeads, intermediateSize,
                maxPositions, typeVocabSize, layerNormEps, activation, hiddenDropout, attentionDropout, padTokenId,
                sinusoidalPositions, initializerRange, otherFields);
    }

    /** DistilBERT's layer norms are {@code nn.LayerNorm(dim, eps=1e-12)}; its config has no field for it. */
    public static final double DISTILBERT_LAYER_NORM_EPS = 1e-12;

    public TransformerConfig {
        java.util.Objects.requireNonNull(modelType, "modelType");
        java.util.Objects.requireNonNull(activation, "activation");
        architectures = List.copyOf(architectures);
        Map<String, JsonNode> copy = new LinkedHashMap<>();
        otherFields.forEach((key, value) -> copy.put(key, value.deepCopy()));
        otherFields = Collections.unmodifiableMap(copy);

        positive(modelType, ConfigKey.VOCAB_SIZE, vocabSize);
        positive(modelType, ConfigKey.HIDDEN_SIZE, hiddenSize);
        positive(modelType, ConfigKey.NUM_LAYERS, numLayers);
        positive(modelType, ConfigKey.NUM_HEADS, numHeads);
        positive(modelType, ConfigKey.INTERMEDIATE_SIZE, intermediateSize);
        positive(modelType, ConfigKey.MAX_POSITIONS, maxPositions);
        if (hiddenSize % numHeads != 0) {
            throw new InvalidConfigField(ConfigKey.HIDDEN_SIZE.key(modelType), hiddenSize + " is not divisible by "
                    + ConfigKey.NUM_HEADS.key(modelType) + " = " + numHeads);
        }
        if (modelType == ModelType.BERT) {
            positive(modelType, ConfigKey.TYPE_VOCAB_SIZE, typeVocabSize);
            if (!(layerNormEps > 0) || Double.isInfinite(layerNormEps)) {
                throw new InvalidConfigField(ConfigKey.LAYER_NORM_EPS.key(modelType), "must be a positive number, got "
                        + layerNormEps);
            }
            if (sinusoidalPositions) {
                throw new IllegalArgumentException("sinusoidal positions are a DistilBERT option, not BERT's");
            }
        } else {
            if (typeVocabSize != 0) {
                throw new IllegalArgumentException("DistilBERT has no token types: typeVocabSize must be 0, got "
                        + typeVocabSize);
            }
            if (layerNormEps != DISTILBERT_LAYER_NORM_EPS) {
                throw new IllegalArgumentException("DistilBERT's layer norm eps is fixed at 1e-12, got " + layerNormEps);
            }
        }
        probability(modelType, ConfigKey.HIDDEN_DROPOUT, hiddenDropout);
        probability(modelType, ConfigKey.ATTENTION_DROPOUT, attentionDropout);
        if (padTokenId < 0 || padTokenId >= vocabSize) {
            throw new InvalidConfigField(ConfigKey.PAD_TOKEN_ID.key(modelType), padTokenId
                    + " is outside the vocabulary [0, " + vocabSize + ")");
        }
        if (!(initializerRange >= 0) || Double.isInfinite(initializerRange)) {
            throw new InvalidConfigField(ConfigKey.INITIALIZER_RANGE.key(modelType),
                    "must be a non-negative number, got " + initializerRange);
        }
    }

    /** Size of one attention head: hiddenSize / numHeads. */
    public int headSize() {
        return hiddenSize / numHeads;
    }

    /**
     * Number of outputs of a sequence-classification head, as Hugging Face derives it: {@code num_labels} when
     * present, else the size of {@code id2label}, else 2.
     */
    public int numLabels() {
        JsonNode numLabels = otherFields.get("num_labels");
        if (numLabels != null && numLabels.canConvertToInt()) {
            return numLabels.intValue();
        }
        JsonNode id2label = otherFields.get("id2label");
        return id2label != null && id2label.isObject() ? id2label.size() : 2;
    }

    private static void positive(ModelType type, ConfigKey key, int value) {
        if (value <= 0) {
            throw new InvalidConfigField(key.key(type), "must be positive, got " + value);
        }
    }

    private static void probability(ModelType type, ConfigKey key, double value) {
        if (!(value >= 0 && value < 1)) {
            throw new InvalidConfigField(key.key(type), "must be a probability in [0, 1), got " + value);
        }
    }
}
