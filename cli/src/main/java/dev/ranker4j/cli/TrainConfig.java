package dev.ranker4j.cli;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * A section of the {@code train} command's JSON config, read strictly: the whole file is checked against
 * {@link TrainConfigSchema} when it is read (unknown fields, explicit nulls), and each typed getter checks its
 * value's type and range. Every error is one {@link TrainConfigException} naming the file, the dotted field
 * ({@code optimizer.lr}) and the value. Relative paths in the config are resolved against the working directory.
 */
final class TrainConfig {
    /** Floats keep their text (1e999 is reported as 1E+999, not Infinity); duplicate keys are an error. */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private final Path file;
    private final String prefix;
    private final JsonNode node;

    private TrainConfig(Path file, String prefix, JsonNode node) {
        this.file = file;
        this.prefix = prefix;
        this.node = node;
    }

    /** Reads and validates {@code file} against the schema (fields and nulls; values are checked by the getters). */
    static TrainConfig read(Path file) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new TrainConfigException(file, null, "is not valid JSON: " + e.getOriginalMessage()
                    + " (line " + e.getLocation().getLineNr() + ")");
        } catch (java.io.FileNotFoundException | NoSuchFileException e) {
            throw new TrainConfigException(file, null, "no such file");
        } catch (NumberFormatException e) {
            // Jackson reports a number it cannot hold (an exponent of 20 digits) this way, not as a JSON error.
            throw new TrainConfigException(file, null, "holds a number that cannot be read: " + e.getMessage());
        }
        if (root == null || !root.isObject()) throw new TrainConfigException(file, null, "must be a JSON object");
        TrainConfig config = new TrainConfig(file, "", root);
        TrainConfigSchema.validate(config);
        return config;
    }

    /** The same config from JSON already in memory (a test, or the experiment driver's check). */
    static TrainConfig of(Path file, JsonNode root) {
        if (root == null || !root.isObject()) throw new TrainConfigException(file, null, "must be a JSON object");
        TrainConfig config = new TrainConfig(file, "", root);
        TrainConfigSchema.validate(config);
        return config;
    }

    TrainConfigException error(String field, String problem) {
        return new TrainConfigException(file, prefix + field, problem);
    }

    /** The dotted name of this section ("" for the root, "model.student" for a nested one). */
    String name() {
        return prefix.isEmpty() ? "" : prefix.substring(0, prefix.length() - 1);
    }

    JsonNode json() {
        return node;
    }

    boolean has(String field) {
        return node.has(field);
    }

    TrainConfig section(String field) {
        JsonNode child = node.get(field);
        if (child == null || !child.isObject()) throw error(field, child == null ? "is missing" : "must be an object, got " + child);
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
        if (v == null || !v.isTextual()) throw error(field, v == null ? "is missing" : "must be a string, got " + v);
        if (v.textValue().isBlank()) throw error(field, "is empty");
        return v.textValue();
    }

    String string(String field, String fallback) {
        return has(field) ? string(field) : fallback;
    }

    /** One of {@code allowed}; {@code fallback} null makes the field required. */
    String choice(String field, String fallback, List<String> allowed) {
        String value = fallback == null ? string(field) : string(field, fallback);
        if (!allowed.contains(value)) throw error(field, "is '" + value + "'; expected one of " + allowed);
        return value;
    }

    Path path(String field) {
        String value = string(field);
        try {
            return Path.of(value);
        } catch (java.nio.file.InvalidPathException e) {
            throw error(field, "is not a valid path: " + e.getReason());
        }
    }

    private JsonNode number(String field) {
        JsonNode v = node.get(field);
        if (v == null) throw error(field, "is missing");
        if (!v.isNumber()) throw error(field, "must be a number, got " + v);
        return v;
    }

    /** A finite number in {@code [min, max]}. */
    double number(String field, double fallback, double min, double max) {
        if (!has(field)) return fallback;
        JsonNode v = number(field);
        double value = v.doubleValue();
        if (!Double.isFinite(value) || value < min || value > max) {
            throw error(field, "must be a finite number in [" + format(min) + ", " + format(max) + "], got " + v);
        }
        return value;
    }

    /** A finite number above 0 (a learning rate, a temperature); required when {@code fallback} is NaN. */
    double positive(String field, double fallback) {
        if (!has(field)) {
            if (Double.isNaN(fallback)) throw error(field, "is missing");
            return fallback;
        }
        JsonNode v = number(field);
        double value = v.doubleValue();
        if (!Double.isFinite(value) || value <= 0) throw error(field, "must be a finite number > 0, got " + v);
        return value;
    }

    /** A finite number >= 0 (a weight, a decay, a norm threshold). */
    double nonNegative(String field, double fallback) {
        return number(field, fallback, 0, Double.MAX_VALUE);
    }

    /** An integer in {@code [min, max]}. */
    long integer(String field, long fallback, long min, long max) {
        if (!has(field)) return fallback;
        JsonNode v = node.get(field);
        if (!v.isIntegralNumber() || !v.canConvertToLong()) throw error(field, "must be an integer, got " + v);
        long value = v.longValue();
        if (value < min || value > max) {
            throw error(field, "must be " + (max == Long.MAX_VALUE ? ">= " + min
                    : max == Integer.MAX_VALUE ? ">= " + min + " (and fit an int)" : "in [" + min + ", " + max + "]")
                    + ", got " + v);
        }
        return value;
    }

    /** An int in {@code [min, Integer.MAX_VALUE]}. */
    int count(String field, int fallback, int min) {
        return (int) integer(field, fallback, min, Integer.MAX_VALUE);
    }

    /** Any integer (a seed). */
    long seed(String field, long fallback) {
        return integer(field, fallback, Long.MIN_VALUE, Long.MAX_VALUE);
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

    private static String format(double value) {
        if (value == Double.MAX_VALUE) return "inf";
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value)
                : String.format(Locale.ROOT, "%s", value);
    }
}
