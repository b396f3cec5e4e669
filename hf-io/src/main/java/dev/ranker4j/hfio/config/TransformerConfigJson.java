package dev.ranker4j.hfio.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ranker4j.files.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads and writes {@code config.json} for BERT and DistilBERT in Hugging Face's key names.
 *
 * <p>Reading: {@code model_type} selects the key names (when absent it is inferred: DistilBERT's {@code dim} and
 * {@code n_layers} versus BERT's {@code hidden_size}). The five size fields are required; the others take the
 * defaults Hugging Face's {@code BertConfig} / {@code DistilBertConfig} give them. Every value is type-checked and
 * the result validated ({@link TransformerConfig}); an error names the file and the key. Keys ranker4j does not
 * use are kept in {@link TransformerConfig#otherFields()}.
 *
 * <p>Writing: the keys of the config's model type, then the other fields, pretty-printed, atomically.
 */
public final class TransformerConfigJson {
    /** The usual file name inside a model directory. */
    public static final String FILE_NAME = "config.json";

    private static final Set<ConfigKey> REQUIRED = EnumSet.of(ConfigKey.VOCAB_SIZE, ConfigKey.HIDDEN_SIZE,
            ConfigKey.NUM_LAYERS, ConfigKey.NUM_HEADS, ConfigKey.INTERMEDIATE_SIZE);
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private TransformerConfigJson() {}

    /** Reads {@code file} (a {@code config.json}, or a model directory containing one). */
    public static TransformerConfig read(Path file) throws IOException {
        Path json = Files.isDirectory(file) ? file.resolve(FILE_NAME) : file;
        String text;
        try {
            text = Files.readString(json, StandardCharsets.UTF_8);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new ConfigException(json, null, "no such file (a model directory needs its config.json)");
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new ConfigException(json, null, "not valid UTF-8 text");
        }
        return parse(json, text);
    }

    /** Parses config JSON text; {@code source} names it in error messages. */
    public static TransformerConfig parse(Path source, String text) throws ConfigException {
        JsonNode root;
        try {
            root = JSON.readTree(text.startsWith("\uFEFF") ? text.substring(1) : text); // a byte order mark is not JSON
        } catch (JsonProcessingException e) {
            throw new ConfigException(source, null, "not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new ConfigException(source, null, "must be a JSON object");
        }
        return new Reader(source, (ObjectNode) root).read();
    }

    /** Writes {@code config} to {@code file} atomically, in the key names of its model type. */
    public static void write(Path file, TransformerConfig config) throws IOException {
        byte[] bytes = (toJson(config) + "\n").getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(file, bytes);
    }

    /** The config as pretty-printed JSON in the key names of its model type. */
    public static String toJson(TransformerConfig config) {
        ModelType type = config.modelType();
        ObjectNode root = JSON.createObjectNode();
        if (!config.architectures().isEmpty()) {
            config.architectures().forEach(root.putArray("architectures")::add);
        }
        root.put("model_type", type.hfName());
        put(root, type, ConfigKey.VOCAB_SIZE, config.vocabSize());
        put(root, type, ConfigKey.HIDDEN_SIZE, config.hiddenSize());
        put(root, type, ConfigKey.NUM_LAYERS, config.numLayers());
        put(root, type, ConfigKey.NUM_HEADS, config.numHeads());
        put(root, type, ConfigKey.INTERMEDIATE_SIZE, config.intermediateSize());
        put(root, type, ConfigKey.MAX_POSITIONS, config.maxPositions());
        root.put(ConfigKey.ACTIVATION.key(type), config.activation().hfName());
        root.put(ConfigKey.HIDDEN_DROPOUT.key(type), config.hiddenDropout());
        root.put(ConfigKey.ATTENTION_DROPOUT.key(type), config.attentionDropout());
        put(root, type, ConfigKey.PAD_TOKEN_ID, config.padTokenId());
        root.put(ConfigKey.INITIALIZER_RANGE.key(type), config.initializerRange());
        if (type == ModelType.BERT) {
            put(root, type, ConfigKey.TYPE_VOCAB_SIZE, config.typeVocabSize());
            root.put(ConfigKey.LAYER_NORM_EPS.key(type), config.layerNormEps());
            root.put(ConfigKey.POSITION_EMBEDDING_TYPE.key(type), "absolute");
        } else {
            root.put(ConfigKey.SINUSOIDAL_POSITIONS.key(type), config.sinusoidalPositions());
        }
        config.otherFields().forEach((key, value) -> {
            if (!root.has(key)) {
                root.set(key, value.deepCopy());
            }
        });
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a config", e);
        }
    }

    private static void put(ObjectNode root, ModelType type, ConfigKey key, int value) {
        root.put(key.key(type), value);
    }

    /** One read of one file: the source for messages, the JSON, and the keys consumed so far. */
    private static final class Reader {
        private final Path source;
        private final ObjectNode root;
        private final Set<String> consumed = new java.util.HashSet<>();
        private ModelType type;

        Reader(Path source, ObjectNode root) {
            this.source = source;
            this.root = root;
        }

        TransformerConfig read() throws ConfigException {
            type = modelType();
            for (ConfigKey key : REQUIRED) {
                if (!root.has(key.key(type)) || root.get(key.key(type)).isNull()) {
                    throw new ConfigException(source, key.key(type), "missing (required for model_type '"
                            + type.hfName() + "')");
                }
            }
            boolean bert = type == ModelType.BERT;
            if (bert) {
                String positions = string(ConfigKey.POSITION_EMBEDDING_TYPE, "absolute");
                if (!positions.equals("absolute")) {
                    throw new ConfigException(source, ConfigKey.POSITION_EMBEDDING_TYPE.key(type), "'" + positions
                            + "' is not supported (only 'absolute' position embeddings)");
                }
            }
            String activationName = string(ConfigKey.ACTIVATION, "gelu");
            Activation activation = Activation.fromHfName(activationName).orElseThrow(() -> new ConfigException(
                    source, ConfigKey.ACTIVATION.key(type), "unknown activation '" + activationName + "' (known: "
                            + Activation.knownNames() + ")"));
            try {
                return new TransformerConfig(type, architectures(),
                        integer(ConfigKey.VOCAB_SIZE, 30522),
                        integer(ConfigKey.HIDDEN_SIZE, 768),
                        integer(ConfigKey.NUM_LAYERS, bert ? 12 : 6),
                        integer(ConfigKey.NUM_HEADS, 12),
                        integer(ConfigKey.INTERMEDIATE_SIZE, 3072),
                        integer(ConfigKey.MAX_POSITIONS, 512),
                        bert ? integer(ConfigKey.TYPE_VOCAB_SIZE, 2) : 0,
                        bert ? number(ConfigKey.LAYER_NORM_EPS, 1e-12) : TransformerConfig.DISTILBERT_LAYER_NORM_EPS,
                        activation,
                        number(ConfigKey.HIDDEN_DROPOUT, 0.1),
                        number(ConfigKey.ATTENTION_DROPOUT, 0.1),
                        integer(ConfigKey.PAD_TOKEN_ID, 0),
                        !bert && bool(ConfigKey.SINUSOIDAL_POSITIONS, false),
                        number(ConfigKey.INITIALIZER_RANGE, 0.02),
                        otherFields());
            } catch (InvalidConfigField e) {
                throw new ConfigException(source, e.key(), e.getMessage().substring(e.getMessage().indexOf(": ") + 2), e);
            }
        }

        private ModelType modelType() throws ConfigException {
            consumed.add("model_type");
            JsonNode node = root.get("model_type");
            if (node == null || node.isNull()) {
                // Old configs predate model_type; their key style still tells the families apart.
                return root.has("dim") && root.has("n_layers") ? ModelType.DISTILBERT : ModelType.BERT;
            }
            if (!node.isTextual()) {
                throw new ConfigException(source, "model_type", "must be a string, got " + node);
            }
            return ModelType.fromHfName(node.textValue()).orElseThrow(() -> new ConfigException(source, "model_type",
                    "unsupported model type '" + node.textValue() + "' (supported: bert, distilbert)"));
        }

        private List<String> architectures() throws ConfigException {
            consumed.add("architectures");
            JsonNode node = root.get("architectures");
            List<String> names = new ArrayList<>();
            if (node == null || node.isNull()) {
                return names;
            }
            if (!node.isArray()) {
                throw new ConfigException(source, "architectures", "must be an array of strings, got " + node);
            }
            for (JsonNode element : node) {
                if (!element.isTextual()) {
                    throw new ConfigException(source, "architectures", "must be an array of strings, got " + node);
                }
                names.add(element.textValue());
            }
            return names;
        }

        private JsonNode value(ConfigKey key) throws ConfigException {
            String name = key.key(type);
            consumed.add(name);
            JsonNode node = root.get(name);
            if (node != null && node.isNull()) {
                // Read as "absent" it would silently take the default: say so instead.
                throw new ConfigException(source, name, "is null; remove it to use the default, or give a value");
            }
            return node;
        }

        private int integer(ConfigKey key, int fallback) throws ConfigException {
            JsonNode node = value(key);
            if (node == null) {
                return fallback;
            }
            if (!node.isIntegralNumber() || !node.canConvertToInt()) {
                throw new ConfigException(source, key.key(type), "must be an integer, got " + node);
            }
            return node.intValue();
        }

        private double number(ConfigKey key, double fallback) throws ConfigException {
            JsonNode node = value(key);
            if (node == null) {
                return fallback;
            }
            if (!node.isNumber()) {
                throw new ConfigException(source, key.key(type), "must be a number, got " + node);
            }
            return node.doubleValue();
        }

        private boolean bool(ConfigKey key, boolean fallback) throws ConfigException {
            JsonNode node = value(key);
            if (node == null) {
                return fallback;
            }
            if (!node.isBoolean()) {
                throw new ConfigException(source, key.key(type), "must be true or false, got " + node);
            }
            return node.booleanValue();
        }

        private String string(ConfigKey key, String fallback) throws ConfigException {
            JsonNode node = value(key);
            if (node == null) {
                return fallback;
            }
            if (!node.isTextual()) {
                throw new ConfigException(source, key.key(type), "must be a string, got " + node);
            }
            return node.textValue();
        }

        private Map<String, JsonNode> otherFields() {
            Map<String, JsonNode> others = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> entry : root.properties()) {
                if (!consumed.contains(entry.getKey())) {
                    others.put(entry.getKey(), entry.getValue());
                }
            }
            return others;
        }
    }
}
