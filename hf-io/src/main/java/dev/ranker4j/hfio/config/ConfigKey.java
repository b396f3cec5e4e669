package dev.ranker4j.hfio.config;

/**
 * The config fields ranker4j understands, with the JSON key each model family uses for them (null: the family has
 * no such key). One table drives reading, writing and the field names in error messages.
 */
enum ConfigKey {
    VOCAB_SIZE("vocab_size", "vocab_size"),
    HIDDEN_SIZE("hidden_size", "dim"),
    NUM_LAYERS("num_hidden_layers", "n_layers"),
    NUM_HEADS("num_attention_heads", "n_heads"),
    INTERMEDIATE_SIZE("intermediate_size", "hidden_dim"),
    MAX_POSITIONS("max_position_embeddings", "max_position_embeddings"),
    TYPE_VOCAB_SIZE("type_vocab_size", null),
    LAYER_NORM_EPS("layer_norm_eps", null),
    ACTIVATION("hidden_act", "activation"),
    HIDDEN_DROPOUT("hidden_dropout_prob", "dropout"),
    ATTENTION_DROPOUT("attention_probs_dropout_prob", "attention_dropout"),
    PAD_TOKEN_ID("pad_token_id", "pad_token_id"),
    POSITION_EMBEDDING_TYPE("position_embedding_type", null),
    SINUSOIDAL_POSITIONS(null, "sinusoidal_pos_embds"),
    INITIALIZER_RANGE("initializer_range", "initializer_range");

    private final String bertKey;
    private final String distilBertKey;

    ConfigKey(String bertKey, String distilBertKey) {
        this.bertKey = bertKey;
        this.distilBertKey = distilBertKey;
    }

    /** The JSON key in a config of this model type, or null when the type has no such field. */
    String key(ModelType type) {
        return type == ModelType.BERT ? bertKey : distilBertKey;
    }
}
