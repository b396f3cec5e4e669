package dev.ranker4j.cli.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A variant config of an experiment, with one seed's variables substituted ({@code "extends"}: see {@link #readMerged}):
 * <pre>
 * {"experiment": "E1", "variant": "b-lce-g8", "label": "LCE, group 8, localized negatives", "seeds": [1, 2, 3],
 *  "needs": ["lce-dense"],                      steps.json steps to run first
 *  "train": { a ranker4j train config },        optional; its "output" is the run's directory
 *  "vars": {"reranker": "${run}/best-checkpoint/reranker"},   optional; variables of this variant
 *  "after": [ {"outputs": [...], "args": [...]} ],   test-time commands (re-rank, encode, search)
 *  "evaluate": {"qrels": "...", "metrics": ["ndcg@10", ...],
 *               "runs": [{"name": "dense", "run": "${run}/test-dense.trec", "first_stage": "..."}]}}
 * </pre>
 */
record Variant(Path file, String experiment, String variant, String label, long seed, Path runDirectory,
               List<String> needs, JsonNode train, List<Step> after, JsonNode evaluate) {

    static Variant load(ExperimentLayout layout, Path file, long seed) throws IOException {
        JsonNode raw = readMerged(file, new java.util.HashSet<>());
        String experiment = text(raw, "experiment", file), variant = text(raw, "variant", file);
        List<Long> seeds = seeds(raw, file);
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null && !dir.getFileName().toString().equals(experiment)) {
            throw new IllegalArgumentException(file + ": 'experiment' is " + experiment + " but the config lies in " + dir.getFileName());
        }
        if (!seeds.contains(seed)) throw new IllegalArgumentException(file + ": seed " + seed + " is not one of its seeds " + seeds);
        Path runDirectory = layout.work().resolve(experiment).resolve(variant + "-s" + seed);
        Map<String, String> vars = new java.util.HashMap<>(Map.of("seed", Long.toString(seed), "run", runDirectory.toString()));
        // The variant's own "vars" may use the global ones, ${seed} and ${run}.
        raw.path("vars").properties().forEach(e -> vars.put(e.getKey(), layout.substitute(e.getValue().asText(), vars, file)));
        JsonNode node = layout.substitute(raw, vars, file);
        List<String> needs = new ArrayList<>();
        node.path("needs").forEach(n -> needs.add(n.asText()));
        JsonNode train = node.get("train");
        if (train != null) {
            if (!train.isObject()) throw new IllegalArgumentException(file + ": 'train' must be an object");
            ((ObjectNode) train).put("output", runDirectory.toString());
        }
        List<Step> after = new ArrayList<>();
        JsonNode afterNode = node.path("after");
        for (int i = 0; i < afterNode.size(); i++) after.add(Step.parse("after[" + i + "]", afterNode.get(i), file));
        JsonNode evaluate = node.get("evaluate");
        if (evaluate == null || !evaluate.path("runs").isArray() || evaluate.path("runs").isEmpty()) {
            throw new IllegalArgumentException(file + ": 'evaluate.runs' must list the test runs to evaluate");
        }
        return new Variant(file, experiment, variant, node.path("label").asText(variant), seed, runDirectory, needs,
                train, after, evaluate);
    }

    /**
     * The config with what it {@code "extends"} (a config path relative to its own directory) merged under it, as a
     * JSON merge patch (RFC 7386): objects merge field by field, {@code null} removes the base's field, anything else
     * replaces it. A variant thus states only how it differs from the run it is compared with.
     */
    static JsonNode readMerged(Path file, java.util.Set<Path> seen) throws IOException {
        if (!seen.add(file.toAbsolutePath().normalize())) throw new IllegalArgumentException(file + ": 'extends' runs in a cycle");
        JsonNode node = ExperimentLayout.read(file);
        if (!node.isObject()) throw new IllegalArgumentException(file + ": must be a JSON object");
        if (!node.has("extends")) return node;
        Path base = file.resolveSibling(node.get("extends").asText());
        ObjectNode merged = (ObjectNode) readMerged(base, seen).deepCopy();
        merge(merged, (ObjectNode) node);
        merged.remove("extends");
        return merged;
    }

    private static void merge(ObjectNode base, ObjectNode over) {
        over.properties().forEach(e -> {
            JsonNode old = base.get(e.getKey());
            if (e.getValue().isNull()) base.remove(e.getKey());
            else if (old != null && old.isObject() && e.getValue().isObject()) merge((ObjectNode) old, (ObjectNode) e.getValue());
            else base.set(e.getKey(), e.getValue().deepCopy());
        });
    }

    static List<Long> seeds(JsonNode raw, Path file) {
        List<Long> seeds = new ArrayList<>();
        raw.path("seeds").forEach(s -> seeds.add(s.asLong()));
        if (seeds.isEmpty()) throw new IllegalArgumentException(file + ": 'seeds' must list at least one seed");
        return seeds;
    }

    static String text(JsonNode node, String field, Path file) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual() || v.textValue().isBlank()) {
            throw new IllegalArgumentException(file + ": field '" + field + "' must be a non-empty string");
        }
        return v.textValue();
    }

    /**
     * This variant narrowed to the named test runs of {@code evaluate.runs}: the test-time commands whose outputs they
     * read (directly, or through another kept command such as {@code fuse}) and the preparation steps whose outputs
     * the training config, the kept commands or the kept runs name. A reproduction of one figure thus skips the
     * re-rankings and first stages that only other figures need.
     */
    Variant only(java.util.Set<String> names, Steps steps) {
        com.fasterxml.jackson.databind.node.ArrayNode runs = ExperimentLayout.JSON.createArrayNode();
        java.util.Set<String> known = new java.util.LinkedHashSet<>();
        for (JsonNode run : evaluate.get("runs")) {
            known.add(run.path("name").asText());
            if (names.contains(run.path("name").asText())) runs.add(run);
        }
        if (runs.size() != names.size()) {
            throw new IllegalArgumentException(file + ": --only names a test run the config does not have: " + names
                    + " (its runs: " + known + ")");
        }
        ObjectNode narrowed = evaluate.deepCopy();
        narrowed.set("runs", runs);
        StringBuilder read = new StringBuilder(runs.toString());
        List<Step> kept = new ArrayList<>();
        // Walk the commands backwards: one that a later kept command reads (fuse reads the re-rankings) is kept too.
        for (int i = after.size() - 1; i >= 0; i--) {
            Step step = after.get(i);
            if (step.outputs().stream().anyMatch(o -> read.indexOf(o.toString()) >= 0)) {
                kept.addFirst(step);
                read.append(' ').append(String.join(" ", step.args()));
            }
        }
        if (train != null) read.append(' ').append(train);
        List<String> keptNeeds = needs.stream()
                .filter(n -> steps.outputs(n).stream().anyMatch(o -> read.indexOf(o.toString()) >= 0)).toList();
        return new Variant(file, experiment, variant, label, seed, runDirectory, keptNeeds, train, kept, narrowed);
    }

    /** The run's result file under experiments/results/EXPERIMENT/. */
    Path resultFile(ExperimentLayout layout) {
        return layout.results(experiment).resolve(variant + "-s" + seed + ".json");
    }
}
