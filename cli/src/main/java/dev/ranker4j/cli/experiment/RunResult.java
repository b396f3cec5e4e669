package dev.ranker4j.cli.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ranker4j.ir.data.Qrels;
import dev.ranker4j.ir.data.Run;
import dev.ranker4j.ir.metrics.Evaluation;
import dev.ranker4j.ir.metrics.Evaluator;
import dev.ranker4j.ir.metrics.Metric;
import jdk.incubator.vector.FloatVector;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * A finished run's result JSON: what ran (experiment, variant, seed, git commit, machine), how training went (steps,
 * wall time, steps/s, the dev curve from {@code train_log.jsonl}, the chosen checkpoint), the test metrics of every
 * evaluated run beside its first stage's, with per-query values for significance tests, and the peak resident set.
 * Test metrics average over every judged query ({@code trec_eval -c}): a query the run misses counts 0.
 */
final class RunResult {
    private final ExperimentLayout layout;
    private final Variant variant;
    private final RunState state;

    RunResult(ExperimentLayout layout, Variant variant, RunState state) {
        this.layout = layout;
        this.variant = variant;
        this.state = state;
    }

    ObjectNode toJson() throws IOException {
        ObjectNode json = ExperimentLayout.JSON.createObjectNode();
        json.put("experiment", variant.experiment()).put("variant", variant.variant()).put("label", variant.label())
                .put("seed", variant.seed()).put("config", variant.file().toString())
                .put("git_commit", git("rev-parse", "HEAD")).put("git_dirty", !git("status", "--porcelain", "--untracked-files=no").isEmpty())
                .put("finished", java.time.Instant.now().toString());
        json.set("machine", machine());
        if (variant.train() != null) json.set("train", train());
        json.set("test", test());
        ObjectNode wall = json.putObject("wall_seconds");
        double train = state.seconds("train"), test = state.seconds("test");
        wall.put("train", round(train, 1)).put("test", round(test, 1)).put("total", round(train + test, 1));
        json.set("steps", timedSteps());
        json.put("peak_rss_mb", round(state.peakRssKb() / 1024.0, 0));
        json.put("interrupted_parts", state.interruptedParts());
        return json;
    }

    /** The test-time commands with their wall time; for one that wrote a TREC run, the pairs it scored per second. */
    private ObjectNode timedSteps() throws IOException {
        ObjectNode out = ExperimentLayout.JSON.createObjectNode();
        for (var entry : state.steps().properties()) {
            ObjectNode step = out.putObject(entry.getKey());
            double seconds = entry.getValue().path("seconds").asDouble();
            step.put("command", entry.getValue().path("command").asText()).put("seconds", round(seconds, 1));
            JsonNode outputs = entry.getValue().path("outputs");
            if (outputs.size() == 1 && outputs.get(0).asText().endsWith(".trec") && Files.isRegularFile(Path.of(outputs.get(0).asText()))) {
                long lines;
                try (var stream = Files.lines(Path.of(outputs.get(0).asText()))) {
                    lines = stream.filter(l -> !l.isBlank()).count();
                }
                step.put("run_lines", lines).put("run_lines_per_s", round(lines / seconds, 2));
            }
        }
        return out;
    }

    private ObjectNode train() throws IOException {
        ObjectNode train = ExperimentLayout.JSON.createObjectNode();
        Path log = variant.runDirectory().resolve("train_log.jsonl");
        // A resumed run logs the steps after its checkpoint again: the last line of a step is the one that counts.
        Map<Long, JsonNode> steps = new TreeMap<>(), evals = new TreeMap<>();
        if (Files.isRegularFile(log)) {
            for (String line : Files.readAllLines(log)) {
                if (line.isBlank()) continue;
                JsonNode node = ExperimentLayout.JSON.readTree(line);
                boolean isEval = false;
                for (var name : (Iterable<String>) node::fieldNames) if (name.startsWith("eval_")) isEval = true;
                (isEval ? evals : steps).put(node.path("step").asLong(), node);
            }
        }
        long lastStep = steps.isEmpty() ? 0 : ((TreeMap<Long, JsonNode>) steps).lastKey();
        double seconds = state.seconds("train");
        train.put("steps", lastStep).put("seconds", round(seconds, 1))
                .put("steps_per_s", seconds > 0 ? round(lastStep / seconds, 4) : 0)
                .put("parts", state.parts("train"));
        if (!steps.isEmpty()) {
            JsonNode last = ((TreeMap<Long, JsonNode>) steps).lastEntry().getValue();
            train.put("last_loss", last.path("loss").asDouble());
            double examples = 0;
            for (JsonNode s : steps.values()) examples += s.path("examples_per_s").asDouble();
            train.put("mean_examples_per_s", round(examples / steps.size(), 2));
        }
        ArrayNode curve = train.putArray("dev_curve");
        for (JsonNode e : evals.values()) curve.add(e);
        Path best = variant.runDirectory().resolve("best-checkpoint.json");
        if (Files.isRegularFile(best)) train.set("best_checkpoint", ExperimentLayout.read(best));
        ArrayNode lossCurve = train.putArray("loss_curve");
        for (JsonNode s : steps.values()) lossCurve.add(ExperimentLayout.JSON.createArrayNode().add(s.path("step").asLong()).add(s.path("loss").asDouble()));
        return train;
    }

    private ObjectNode test() {
        JsonNode evaluate = variant.evaluate();
        Qrels qrels = Qrels.read(Path.of(evaluate.path("qrels").asText()));
        List<Metric> metrics = new ArrayList<>();
        if (evaluate.has("metrics")) evaluate.get("metrics").forEach(m -> metrics.add(Metric.parse(m.asText())));
        else for (String m : List.of("ndcg@10", "mrr@10", "recall@100")) metrics.add(Metric.parse(m));
        Evaluator evaluator = new Evaluator(qrels, metrics, evaluate.path("rel_threshold").asInt(1), true);
        ObjectNode test = ExperimentLayout.JSON.createObjectNode();
        for (JsonNode spec : evaluate.get("runs")) {
            ObjectNode out = test.putObject(spec.path("name").asText());
            Path runFile = Path.of(spec.path("run").asText());
            out.put("run", runFile.toString());
            Evaluation evaluation = evaluator.evaluate(Run.readTrec(runFile));
            putMeans(out.putObject("metrics"), evaluation, metrics);
            if (spec.hasNonNull("first_stage")) {
                out.put("first_stage_run", spec.get("first_stage").asText());
                Evaluation first = evaluator.evaluate(Run.readTrec(Path.of(spec.get("first_stage").asText())));
                putMeans(out.putObject("first_stage"), first, metrics);
                putPerQuery(out.putObject("first_stage_per_query"), first, metrics);
            }
            putPerQuery(out.putObject("per_query"), evaluation, metrics);
        }
        return test;
    }

    private static void putPerQuery(ObjectNode out, Evaluation evaluation, List<Metric> metrics) {
        for (Metric metric : metrics) {
            ObjectNode values = out.putObject(metric.name());
            for (String q : evaluation.queryIds()) values.put(q, round(evaluation.value(metric, q), 6));
        }
    }

    private static void putMeans(ObjectNode out, Evaluation evaluation, List<Metric> metrics) {
        for (Metric metric : metrics) out.put(metric.name(), round(evaluation.mean(metric), 6));
        out.put("queries", evaluation.numQueries());
    }

    private static ObjectNode machine() {
        ObjectNode machine = ExperimentLayout.JSON.createObjectNode();
        machine.put("cpu", cpuModel()).put("cores", Runtime.getRuntime().availableProcessors())
                .put("vector_bits", FloatVector.SPECIES_PREFERRED.vectorBitSize())
                .put("java", System.getProperty("java.version"));
        return machine;
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) return line.substring(line.indexOf(':') + 1).trim();
            }
        } catch (IOException e) {
            // not Linux
        }
        return System.getProperty("os.arch");
    }

    private static String git(String... args) {
        try {
            List<String> command = new ArrayList<>(List.of("git"));
            command.addAll(List.of(args));
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : "unknown";
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    static double round(double value, int digits) {
        double scale = Math.pow(10, digits);
        return Math.round(value * scale) / scale;
    }
}
