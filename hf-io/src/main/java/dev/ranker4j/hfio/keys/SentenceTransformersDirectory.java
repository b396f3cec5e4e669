package dev.ranker4j.hfio.keys;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ranker4j.hfio.config.ConfigException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A sentence-transformers model directory: {@code modules.json} lists the pipeline, typically
 * <pre>{@code
 * [{"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
 *  {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
 *  {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"}]
 * }</pre>
 * The Transformer module's directory holds the Hugging Face model ({@code config.json}, weights); the PoolingMode
 * module's {@code config.json} selects CLS ({@code pooling_mode_cls_token}) or mean
 * ({@code pooling_mode_mean_tokens}) pooling; a Normalize module L2-normalises the pooled vector.
 *
 * @param directory            the sentence-transformers directory
 * @param transformerDirectory where the Hugging Face model files are (often {@code directory} itself)
 * @param pooling              the pooling mode
 * @param normalize            whether a Normalize module follows the pooling
 * @param embeddingDimension   the pooling config's {@code word_embedding_dimension}, or 0 when absent
 */
public record SentenceTransformersDirectory(Path directory, Path transformerDirectory, PoolingMode pooling,
                                            boolean normalize, int embeddingDimension) {

    public static final String MODULES_FILE = "modules.json";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TYPE_PREFIX = "sentence_transformers.models.";
    /** PoolingMode modes ranker4j does not implement; a config enabling one is refused rather than misread. */
    private static final String[] UNSUPPORTED_MODES = {"pooling_mode_max_tokens", "pooling_mode_mean_sqrt_len_tokens",
            "pooling_mode_weightedmean_tokens", "pooling_mode_lasttoken"};

    /**
     * Describes {@code directory} if it is a sentence-transformers directory (it has {@code modules.json}); empty
     * for a plain Hugging Face model directory.
     *
     * @throws ConfigException when modules.json or the pooling config is malformed or asks for something
     *                         unsupported (another pooling mode, a Dense layer, ...)
     */
    public static Optional<SentenceTransformersDirectory> detect(Path directory) throws IOException {
        Path modulesFile = directory.resolve(MODULES_FILE);
        if (!Files.isRegularFile(modulesFile)) {
            return Optional.empty();
        }
        JsonNode modules = readJson(modulesFile);
        if (!modules.isArray()) {
            throw new ConfigException(modulesFile, null, "must be a JSON array of modules");
        }
        Path transformer = null;
        Path poolingDirectory = null;
        boolean normalize = false;
        for (int i = 0; i < modules.size(); i++) {
            JsonNode module = modules.get(i);
            String field = "[" + i + "]";
            JsonNode type = module.get("type");
            JsonNode path = module.get("path");
            if (type == null || !type.isTextual() || path == null || !path.isTextual()) {
                throw new ConfigException(modulesFile, field, "each module needs string fields 'type' and 'path'");
            }
            Path moduleDirectory = directory.resolve(path.textValue()).normalize();
            switch (type.textValue().startsWith(TYPE_PREFIX) ? type.textValue().substring(TYPE_PREFIX.length()) : "") {
                case "Transformer" -> transformer = only(modulesFile, field, transformer, moduleDirectory, "Transformer");
                case "Pooling" -> poolingDirectory = only(modulesFile, field, poolingDirectory, moduleDirectory, "Pooling");
                case "Normalize" -> normalize = true;
                default -> throw new ConfigException(modulesFile, field, "unsupported module type '"
                        + type.textValue() + "' (supported: Transformer, PoolingMode, Normalize)");
            }
        }
        if (transformer == null || poolingDirectory == null) {
            throw new ConfigException(modulesFile, null, "needs one Transformer and one PoolingMode module");
        }
        Path poolingConfig = poolingDirectory.resolve("config.json");
        if (!Files.isRegularFile(poolingConfig)) {
            throw new ConfigException(poolingConfig, null, "missing: the PoolingMode module has no config.json");
        }
        JsonNode pooling = readJson(poolingConfig);
        boolean cls = flag(poolingConfig, pooling, "pooling_mode_cls_token");
        boolean mean = flag(poolingConfig, pooling, "pooling_mode_mean_tokens");
        for (String mode : UNSUPPORTED_MODES) {
            if (flag(poolingConfig, pooling, mode)) {
                throw new ConfigException(poolingConfig, mode, "this pooling mode is not supported (only CLS and mean)");
            }
        }
        if (cls == mean) {
            throw new ConfigException(poolingConfig, "pooling_mode_cls_token", cls
                    ? "both CLS and mean pooling are enabled; exactly one is supported"
                    : "neither pooling_mode_cls_token nor pooling_mode_mean_tokens is true");
        }
        JsonNode dimension = pooling.get("word_embedding_dimension");
        int embeddingDimension = dimension != null && dimension.canConvertToInt() ? dimension.intValue() : 0;
        return Optional.of(new SentenceTransformersDirectory(directory, transformer, cls ? PoolingMode.CLS : PoolingMode.MEAN,
                normalize, embeddingDimension));
    }

    private static Path only(Path file, String field, Path existing, Path found, String type) throws ConfigException {
        if (existing != null) {
            throw new ConfigException(file, field, "a second " + type + " module; exactly one is supported");
        }
        return found;
    }

    private static boolean flag(Path file, JsonNode config, String field) throws ConfigException {
        JsonNode value = config.get(field);
        if (value == null || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            throw new ConfigException(file, field, "must be true or false, got " + value);
        }
        return value.booleanValue();
    }

    private static JsonNode readJson(Path file) throws IOException {
        try {
            JsonNode node = JSON.readTree(Files.readAllBytes(file));
            if (node == null || node.isMissingNode()) {
                throw new ConfigException(file, null, "is empty");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new ConfigException(file, null, "not valid JSON: " + e.getOriginalMessage(), e);
        }
    }
}
