package dev.ranker4j.hfio.keys;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The Hugging Face model classes whose checkpoints ranker4j reads, and how their key names relate to ranker4j's
 * canonical names.
 *
 * <p>Canonical names are the bare encoder's names (what {@code BertModel} / {@code DistilBertModel} save:
 * {@code embeddings.word_embeddings.weight}, {@code encoder.layer.0.attention.self.query.weight},
 * {@code transformer.layer.0.ffn.lin1.weight}, {@code pooler.dense.weight}) plus the classification heads under
 * their own names ({@code classifier.*}, DistilBERT's {@code pre_classifier.*}). A task model nests the encoder
 * under a prefix ({@code bert.}, {@code distilbert.}) and keeps its heads at the top level.
 */
public enum HfArchitecture {
    BERT_MODEL("BertModel", "", List.of()),
    BERT_FOR_SEQUENCE_CLASSIFICATION("BertForSequenceClassification", "bert.",
            List.of("classifier.weight", "classifier.bias")),
    DISTILBERT_MODEL("DistilBertModel", "", List.of()),
    DISTILBERT_FOR_SEQUENCE_CLASSIFICATION("DistilBertForSequenceClassification", "distilbert.",
            List.of("pre_classifier.weight", "pre_classifier.bias", "classifier.weight", "classifier.bias"));

    private final String className;
    private final String encoderPrefix;
    private final List<String> headNames;

    HfArchitecture(String className, String encoderPrefix, List<String> headNames) {
        this.className = className;
        this.encoderPrefix = encoderPrefix;
        this.headNames = headNames;
    }

    /** The class name as it appears in {@code config.json}'s {@code architectures}. */
    public String className() {
        return className;
    }

    /** The prefix the encoder's keys carry in this class's checkpoints ("" for the bare encoder). */
    public String encoderPrefix() {
        return encoderPrefix;
    }

    /** The head parameters, which carry no prefix. */
    public List<String> headNames() {
        return headNames;
    }

    /** The key a canonical name has in this class's checkpoints. */
    public String checkpointKey(String canonicalName) {
        return headNames.contains(canonicalName) ? canonicalName : encoderPrefix + canonicalName;
    }

    /** The architecture whose {@link #className()} is {@code name}, if supported. */
    public static Optional<HfArchitecture> fromClassName(String name) {
        for (HfArchitecture architecture : values()) {
            if (architecture.className.equals(name)) {
                return Optional.of(architecture);
            }
        }
        return Optional.empty();
    }

    /**
     * Guesses the class that saved a checkpoint from its keys: a {@code distilbert.} or {@code bert.} prefix means
     * the classification model; otherwise DistilBERT's {@code transformer.layer.} versus BERT's
     * {@code encoder.layer.} / {@code embeddings.token_type_embeddings}.
     */
    public static Optional<HfArchitecture> detect(Collection<String> keys) {
        if (keys.stream().anyMatch(k -> k.startsWith("distilbert."))) {
            return Optional.of(DISTILBERT_FOR_SEQUENCE_CLASSIFICATION);
        }
        if (keys.stream().anyMatch(k -> k.startsWith("bert."))) {
            return Optional.of(BERT_FOR_SEQUENCE_CLASSIFICATION);
        }
        if (keys.stream().anyMatch(k -> k.startsWith("transformer.layer."))) {
            return Optional.of(DISTILBERT_MODEL);
        }
        if (keys.stream().anyMatch(k -> k.startsWith("encoder.layer.") || k.startsWith("embeddings.token_type"))) {
            return Optional.of(BERT_MODEL);
        }
        return Optional.empty();
    }
}
