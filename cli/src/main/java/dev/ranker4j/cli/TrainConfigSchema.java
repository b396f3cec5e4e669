package dev.ranker4j.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The fields a {@code train} config may have, by section, for the objective, data format and optimizer it names
 * (docs/TRAINING.md). {@link TrainConfig#read} checks a whole config against it before anything is loaded, so a
 * misspelt field ({@code optimizer.learning_rate} beside {@code lr}) or one the objective does not use is an error
 * rather than silently ignored, and an explicit {@code null} is refused rather than read as "use the default"
 * (remove the field for that); then every value is checked for its type and range ({@link #values}). Inline
 * model configs ({@code "config": {...}}, a config.json) are config.json's own business and are read when the model
 * is built.
 */
final class TrainConfigSchema {
    private TrainConfigSchema() {}

    static final Set<String> ROOT = Set.of("model", "objective", "data", "sampler", "optimizer", "schedule", "output",
            "tokenizer", "evaluation");

    /** A cross-encoder section ({@code head}: checkpoint | new | auto). */
    static final Set<String> CROSS_ENCODER = Set.of("init", "config", "dtype", "seed", "layers", "head");
    static final Set<String> DUAL_ENCODER = Set.of("init", "config", "dtype", "seed", "pooling", "similarity", "shared_towers");
    static final Set<String> COLBERT = Set.of("init", "config", "colbert", "dtype", "seed", "dim");

    /** Objective name to its fields. */
    static final Map<String, Set<String>> OBJECTIVE = Map.of(
            "lce", Set.of("name", "group_size", "gradient_cache_chunk"),
            "bce", Set.of("name", "group_size"),
            "colbert-lce", Set.of("name", "group_size"),
            "tas-balanced", Set.of("name", "alpha"),
            "rocketqav2", Set.of("name", "distillation", "list_size"),
            "distillation", Set.of("name", "group_size", "score_weight", "hidden_weight", "attention_weight",
                    "score_loss", "temperature"));

    /** Objective name to its model: one section (key "") or named roles. */
    static final Map<String, Map<String, Set<String>>> MODEL = Map.of(
            "lce", Map.of("", CROSS_ENCODER),
            "bce", Map.of("", CROSS_ENCODER),
            "colbert-lce", Map.of("", COLBERT),
            "tas-balanced", Map.of("student", DUAL_ENCODER, "pairwise_teacher", CROSS_ENCODER, "inbatch_teacher", COLBERT),
            "rocketqav2", Map.of("retriever", DUAL_ENCODER, "reranker", CROSS_ENCODER),
            "distillation", Map.of("student", CROSS_ENCODER, "teacher", CROSS_ENCODER));

    /** Data format to its fields. */
    static final Map<String, Set<String>> DATA = Map.of(
            TrainData.TRIPLES, Set.of("format", "path", "max_length"),
            TrainData.BEIR, Set.of("format", "path", "split", "max_queries", "max_length"),
            TrainData.GROUPED, Set.of("format", "path", "max_length"),
            TrainData.TAS_BATCHES, Set.of("format", "path", "queries", "corpus", "max_length"),
            TrainData.LISTWISE, Set.of("format", "path", "queries", "corpus", "max_length"));

    static final Set<String> SAMPLER = Set.of("queries_per_batch", "seed");

    /** Optimizer name to its fields. */
    static final Map<String, Set<String>> OPTIMIZER = Map.of(
            "adamw", Set.of("name", "lr", "beta1", "beta2", "eps", "weight_decay", "decay_biases_and_layer_norms"),
            "sgd", Set.of("name", "lr", "momentum"));

    static final Set<String> SCHEDULE = Set.of("steps", "epochs", "warmup_steps", "accumulation", "max_grad_norm",
            "linear_decay", "log_every", "checkpoint_every");

    static final Set<String> EVALUATION = Set.of("every_steps", "qrels", "queries", "corpus", "run", "rerank_depth", "k",
            "metrics", "rel_threshold", "max_length", "keep_best", "query_length");

    /** Checks every field of {@code root} (nulls first, then names). */
    static void validate(TrainConfig root) {
        noNulls(root, root.json(), "");
        fields(root, "", root.json(), ROOT, "a train config");
        TrainConfig objective = root.section("objective");
        String name = objective.choice("name", null, TrainCommand.OBJECTIVES);
        fields(root, "objective", objective.json(), OBJECTIVE.get(name), "objective '" + name + "'");
        Map<String, Set<String>> model = MODEL.get(name);
        TrainConfig modelSection = root.section("model");
        if (model.containsKey("")) {
            fields(root, "model", modelSection.json(), model.get(""), "objective '" + name + "''s model");
        } else {
            fields(root, "model", modelSection.json(), model.keySet(), "objective '" + name + "' (its model sections)");
            model.forEach((role, allowed) -> {
                if (modelSection.has(role)) {
                    fields(root, "model." + role, modelSection.section(role).json(), allowed, "model." + role);
                }
            });
        }
        TrainConfig data = root.section("data");
        String format = data.choice("format", null, TrainData.FORMATS);
        fields(root, "data", data.json(), DATA.get(format), "data format '" + format + "'");
        if (root.has("sampler")) fields(root, "sampler", root.section("sampler").json(), SAMPLER, "sampler");
        TrainConfig optimizer = root.section("optimizer");
        String optimizerName = optimizer.choice("name", "adamw", List.of("adamw", "sgd"));
        fields(root, "optimizer", optimizer.json(), OPTIMIZER.get(optimizerName), "optimizer '" + optimizerName + "'");
        fields(root, "schedule", root.section("schedule").json(), SCHEDULE, "schedule");
        if (root.has("evaluation")) fields(root, "evaluation", root.section("evaluation").json(), EVALUATION, "evaluation");
        values(root);
    }

    /**
     * Checks the type and range of every field {@code section} holds, with the getter the trainer reads it with (so
     * {@code train --check} finds a bad value without loading a model). Fields are known by name: a name means the
     * same in every section that has it.
     */
    static void values(TrainConfig section) {
        section.json().fieldNames().forEachRemaining(field -> {
            switch (field) {
                case "name", "path", "split", "queries", "corpus", "qrels", "run", "tokenizer", "output", "init",
                     "colbert", "keep_best" -> section.string(field);
                case "seed" -> section.seed(field, 0);
                case "dtype" -> section.choice(field, "f32", List.of("f32", "f64"));
                case "head" -> section.choice(field, "auto", List.of("auto", "checkpoint", "new"));
                case "pooling" -> section.choice(field, "cls", List.of("cls", "mean"));
                case "similarity" -> section.choice(field, "dot", List.of("dot", "cosine"));
                case "distillation" -> section.choice(field, "joint", List.of("joint", "static", "none"));
                case "score_loss" -> section.choice(field, "kl", List.of("kl", "mse"));
                case "format" -> section.choice(field, null, TrainData.FORMATS);
                case "shared_towers", "decay_biases_and_layer_norms", "linear_decay" -> section.bool(field, false);
                case "layers", "dim", "queries_per_batch", "steps", "epochs", "accumulation", "log_every", "rerank_depth",
                     "k", "query_length" -> section.count(field, 1, 1);
                case "group_size", "list_size" -> section.count(field, 2, 2);
                case "max_length" -> section.count(field, 8, 8);
                case "gradient_cache_chunk", "max_queries", "warmup_steps", "checkpoint_every", "every_steps" -> section.count(field, 0, 0);
                case "rel_threshold" -> section.integer(field, 1, Integer.MIN_VALUE, Integer.MAX_VALUE);
                case "lr", "eps", "temperature" -> section.positive(field, 1);
                case "score_weight", "hidden_weight", "attention_weight", "weight_decay", "max_grad_norm" -> section.nonNegative(field, 0);
                case "alpha" -> section.number(field, 0, 0, 1);
                case "beta1", "beta2", "momentum" -> section.number(field, 0, 0, 0.999999999);
                case "config" -> {
                    JsonNode config = section.raw(field);
                    if (config.isTextual()) section.path(field);
                    else if (!config.isObject()) throw section.error(field, "must be a path to config.json or an inline config object, got " + config);
                }
                case "metrics" -> {
                    JsonNode metrics = section.raw(field);
                    if (!metrics.isArray() || metrics.isEmpty()) throw section.error(field, "must be a non-empty array such as [\"ndcg@10\"]");
                    for (JsonNode metric : metrics) {
                        if (!metric.isTextual()) throw section.error(field, "must hold metric names (strings), got " + metric);
                    }
                }
                default -> {
                    JsonNode child = section.json().get(field);
                    if (child.isObject()) values(section.section(field));
                }
            }
        });
    }

    private static void fields(TrainConfig root, String section, JsonNode node, Set<String> allowed, String owner) {
        List<String> unknown = new ArrayList<>();
        node.fieldNames().forEachRemaining(field -> {
            if (!allowed.contains(field)) unknown.add(field);
        });
        if (unknown.isEmpty()) return;
        String field = (section.isEmpty() ? "" : section + ".") + unknown.getFirst();
        throw new TrainConfigException(root.file(), field, "is not a field of " + owner + " (remove it, or check its"
                + " spelling; " + owner + " takes: " + String.join(", ", new TreeSet<>(allowed)) + ")");
    }

    /** Explicit nulls anywhere but inside an inline model config. */
    private static void noNulls(TrainConfig root, JsonNode node, String path) {
        if (node.isNull()) {
            throw new TrainConfigException(root.file(), path, "is null; remove the field to use its default, or give"
                    + " a value");
        }
        if (node.isObject()) {
            node.properties().forEach(e -> {
                String child = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
                boolean inlineModelConfig = e.getKey().equals("config") && path.startsWith("model");
                if (!inlineModelConfig) noNulls(root, e.getValue(), child);
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) noNulls(root, node.get(i), path + "[" + i + "]");
        }
    }
}
