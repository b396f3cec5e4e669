package dev.ranker4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A section of the {@code train} command's JSON config, with typed getters whose errors name the file and the
 * dotted field ({@code optimizer.lr}), so a typo is one clear line rather than a stack trace. Relative paths in the
 * config are resolved against the working directory.
 */
final class TrainConfig {
    private final Path file;
    private final String prefix;
    private final JsonNode node;

    private TrainConfig(Path file, String prefix, JsonNode node) {
        this.file = file;
        this.prefix = prefix;
        this.node = node;
    }

    static TrainConfig read(Path file) throws IOException {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("train config " + file + ": not valid JSON: " + e.getOriginalMessage()
                    + " (line " + e.getLocation().getLineNr() + ")");
        }
        if (root == null || !root.isObject()) throw new IllegalArgumentException("train config " + file + ": must be a JSON object");
        return new TrainConfig(file, "", root);
    }

    IllegalArgumentException error(String field, String problem) {
        return new IllegalArgumentException("train config " + file + ": field '" + prefix + field + "' " + problem);
    }

    boolean has(String field) {
        return node.hasNonNull(field);
    }

    TrainConfig section(String field) {
        JsonNode child = node.get(field);
        if (child == null || !child.isObject()) throw error(field, child == null ? "is missing" : "must be an object");
        return new TrainConfig(file, prefix + field + ".", child);
    }

    /** The raw JSON of a field (e.g. an inline model config). */
    JsonNode raw(String field) {
        JsonNode child = node.get(field);
        if (child == null) throw error(field, "is missing");
        return child;
    }

    String string(String field) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual()) throw error(field, v == null ? "is missing" : "must be a string");
        return v.textValue();
    }

    String string(String field, String fallback) {
        return has(field) ? string(field) : fallback;
    }

    /** One of {@code allowed}. */
    String choice(String field, String fallback, List<String> allowed) {
        String value = fallback == null ? string(field) : string(field, fallback);
        if (!allowed.contains(value)) throw error(field, "is '" + value + "'; expected one of " + allowed);
        return value;
    }

    Path path(String field) {
        return Path.of(string(field));
    }

    double number(String field, double fallback) {
        if (!has(field)) return fallback;
        JsonNode v = node.get(field);
        if (!v.isNumber()) throw error(field, "must be a number, got " + v);
        return v.doubleValue();
    }

    double number(String field) {
        if (!has(field)) throw error(field, "is missing");
        return number(field, 0);
    }

    long integer(String field, long fallback) {
        if (!has(field)) return fallback;
        JsonNode v = node.get(field);
        if (!v.canConvertToLong() || !v.isIntegralNumber()) throw error(field, "must be an integer, got " + v);
        return v.longValue();
    }

    boolean bool(String field, boolean fallback) {
        if (!has(field)) return fallback;
        JsonNode v = node.get(field);
        if (!v.isBoolean()) throw error(field, "must be true or false, got " + v);
        return v.booleanValue();
    }

    Path file() {
        return file;
    }
}
