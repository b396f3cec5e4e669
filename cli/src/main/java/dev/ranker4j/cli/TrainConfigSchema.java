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
 * (remove the field for that). Inline model configs ({@code "config": {...}}, a config.json) are config.json's own
 * business and are not checked here.
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
