package dev.ranker4j.cli.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Where an experiment's files live, and the {@code ${name}} variables its JSON files use. The layout, relative to the
 * working directory (the repository root):
 * <pre>
 * experiments/steps.json          "vars" (shared, work, ...) and the named preparation "steps"
 * experiments/E1/*.json            one variant config each (its seeds are the runs); report.json: the report's layout
 * experiments/results/E1/          one result JSON per run, the summary table and the learning curves (committed)
 * ${work}/E1/VARIANT-sSEED/        a run's working directory: checkpoints, logs, test runs (never committed)
 * </pre>
 * Variables: those of steps.json's {@code vars}, {@code seed} and {@code run} (a run's working directory). A string
 * that names an unknown variable is an error naming the file; a string that is one variable whose value is an
 * integer becomes a JSON number ({@code "seed": "${seed}"}).
 */
final class ExperimentLayout {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

    final Path root;
    final Map<String, String> vars;

    private ExperimentLayout(Path root, Map<String, String> vars) {
        this.root = root;
        this.vars = vars;
    }

    /** The layout under {@code root} (normally {@code experiments}), with steps.json's variables. */
    static ExperimentLayout load(Path root) throws IOException {
        Path steps = root.resolve("steps.json");
        JsonNode tree = read(steps);
        Map<String, String> vars = new HashMap<>();
        tree.path("vars").properties().forEach(e -> vars.put(e.getKey(), e.getValue().asText()));
        if (!vars.containsKey("work")) throw new IllegalArgumentException(steps + ": 'vars' must define 'work'");
        return new ExperimentLayout(root, vars);
    }

    /**
     * The same layout working in {@code ${work}-reproduce/}: a run repeated from scratch, every step and run directory
     * of its own, beside (never over) the committed results and the original work.
     */
    ExperimentLayout reproducing() {
        Map<String, String> copy = new HashMap<>(vars);
        copy.put("work", vars.get("work") + "-reproduce");
        return new ExperimentLayout(root, copy);
    }

    Path stepsFile() {
        return root.resolve("steps.json");
    }

    Path work() {
        return Path.of(vars.get("work"));
    }

    Path results(String experiment) {
        return root.resolve("results").resolve(experiment);
    }

    /** The variant configs of an experiment, in file name order ({@code report.json} is not one). */
    List<Path> variantConfigs(String experiment) throws IOException {
        Path dir = root.resolve(experiment);
        if (!Files.isDirectory(dir)) throw new IllegalArgumentException("no experiment directory " + dir);
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".json"))
                    .filter(f -> !f.getFileName().toString().equals("report.json")).sorted().toList();
        }
    }

    static JsonNode read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new IllegalArgumentException("no such file: " + file);
        try {
            return JSON.readTree(file.toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(file + ": not valid JSON: " + e.getOriginalMessage()
                    + " (line " + e.getLocation().getLineNr() + ")");
        }
    }

    /** A copy of {@code node} with every {@code ${name}} in its strings replaced; unknown names fail naming {@code file}. */
    JsonNode substitute(JsonNode node, Map<String, String> extra, Path file) {
        if (node.isTextual()) {
            String value = substitute(node.textValue(), extra, file);
            // "${seed}" alone stands for a number where a config wants one ("seed": "${seed}").
            if (VARIABLE.matcher(node.textValue()).matches() && value.matches("-?\\d+")) {
                return com.fasterxml.jackson.databind.node.LongNode.valueOf(Long.parseLong(value));
            }
            return TextNode.valueOf(value);
        }
        if (node.isArray()) {
            ArrayNode copy = JSON.createArrayNode();
            node.forEach(child -> copy.add(substitute(child, extra, file)));
            return copy;
        }
        if (node.isObject()) {
            ObjectNode copy = JSON.createObjectNode();
            node.properties().forEach(e -> copy.set(e.getKey(), substitute(e.getValue(), extra, file)));
            return copy;
        }
        return node;
    }

    String substitute(String text, Map<String, String> extra, Path file) {
        Matcher m = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String value = extra.containsKey(name) ? extra.get(name) : vars.get(name);
            if (value == null) {
                throw new IllegalArgumentException(file + ": unknown variable ${" + name + "} in \"" + text
                        + "\" (known: " + known(extra) + ")");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private List<String> known(Map<String, String> extra) {
        List<String> names = new ArrayList<>(vars.keySet());
        names.addAll(extra.keySet());
        names.sort(null);
        return names;
    }
}
