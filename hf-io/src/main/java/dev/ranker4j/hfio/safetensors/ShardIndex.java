package dev.ranker4j.hfio.safetensors;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The index of a sharded checkpoint, {@code model.safetensors.index.json}:
 * <pre>{@code
 * {"metadata": {"total_size": 438000000},
 *  "weight_map": {"embeddings.word_embeddings.weight": "model-00001-of-00002.safetensors", ...}}
 * }</pre>
 * {@code weight_map} says which shard file, next to the index, holds each tensor.
 *
 * @param metadata   the {@code "metadata"} object with every value rendered as text (numbers as digits)
 * @param weightMap  tensor name to the shard's path, in index order
 * @param shardFiles the distinct shard paths in order of first mention
 */
record ShardIndex(Path indexFile, Map<String, String> metadata, Map<String, Path> weightMap, Set<Path> shardFiles) {

    static final String FILE_NAME = "model.safetensors.index.json";

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();

    static ShardIndex read(Path indexFile) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readAllBytes(indexFile));
        } catch (JsonProcessingException e) {
            throw new SafetensorsFormatException(indexFile, "not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new SafetensorsFormatException(indexFile, "must be a JSON object with a 'weight_map'");
        }
        JsonNode weightMapNode = root.get("weight_map");
        if (weightMapNode == null || !weightMapNode.isObject()) {
            throw new SafetensorsFormatException(indexFile, "field 'weight_map' must be an object of tensor name"
                    + " to shard file name");
        }
        Path directory = indexFile.toAbsolutePath().getParent();
        Map<String, Path> weightMap = new LinkedHashMap<>();
        Set<Path> shards = new LinkedHashSet<>();
        for (Map.Entry<String, JsonNode> entry : weightMapNode.properties()) {
            JsonNode shardName = entry.getValue();
            if (!shardName.isTextual()) {
                throw new SafetensorsFormatException(indexFile, "weight_map entry '" + entry.getKey()
                        + "' must be a shard file name, got " + shardName);
            }
            Path shard = directory.resolve(shardName.textValue()).normalize();
            // Shards sit next to the index; a name like "../x" would read files the checkpoint does not own.
            if (!directory.equals(shard.getParent())) {
                throw new SafetensorsFormatException(indexFile, "weight_map entry '" + entry.getKey()
                        + "' names shard '" + shardName.textValue() + "' outside the index's directory");
            }
            weightMap.put(entry.getKey(), shard);
            shards.add(shard);
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        JsonNode metadataNode = root.get("metadata");
        if (metadataNode != null && !metadataNode.isNull()) {
            if (!metadataNode.isObject()) {
                throw new SafetensorsFormatException(indexFile, "field 'metadata' must be an object");
            }
            for (Map.Entry<String, JsonNode> entry : metadataNode.properties()) {
                JsonNode value = entry.getValue();
                metadata.put(entry.getKey(), value.isTextual() ? value.textValue() : value.toString());
            }
        }
        return new ShardIndex(indexFile, Collections.unmodifiableMap(metadata),
                Collections.unmodifiableMap(weightMap), Collections.unmodifiableSet(shards));
    }
}
