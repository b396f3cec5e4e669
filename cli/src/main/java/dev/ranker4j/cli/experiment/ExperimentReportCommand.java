package dev.ranker4j.cli.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ranker4j.files.AtomicFiles;
import dev.ranker4j.ir.metrics.SignificanceTests;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code ranker4j experiment report E1}: from the result JSONs of experiments/results/E1/, writes {@code summary.md}
 * (per test run: mean ± sd over seeds of every metric, the first stage beside it, paired tests against the first
 * stage and between the variants report.json names) and {@code curves.svg} (the dev metric over training steps).
 * Significance tests use per-query values averaged over a variant's seeds, over the queries both sides judged.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Write experiments/results/EXPERIMENT/summary.md and curves.svg from the runs' result JSON.")
final class ExperimentReportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "EXPERIMENT", description = "E1, E2, ...: a directory of experiments/.")
    String experiment;

    @Option(names = "--experiments", defaultValue = "experiments", paramLabel = "DIR",
            description = "The experiments directory (default: ${DEFAULT-VALUE}).")
    Path root;

    @Option(names = "--trials", defaultValue = "10000", description = "Randomization test rounds (default: ${DEFAULT-VALUE}).")
    int trials;

    @Override
    public Integer call() throws Exception {
        ExperimentLayout layout = ExperimentLayout.load(root);
        Path results = layout.results(experiment);
        Path reportFile = root.resolve(experiment).resolve("report.json");
        JsonNode report = Files.isRegularFile(reportFile) ? ExperimentLayout.read(reportFile) : ExperimentLayout.JSON.createObjectNode();
        Map<String, List<JsonNode>> byVariant = new LinkedHashMap<>();
        report.path("rows").forEach(r -> byVariant.put(r.asText(), new ArrayList<>()));
        if (Files.isDirectory(results)) {
            try (Stream<Path> files = Files.list(results)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                    JsonNode r = ExperimentLayout.read(f);
                    if (!r.has("variant")) continue;
                    byVariant.computeIfAbsent(r.get("variant").asText(), v -> new ArrayList<>()).add(r);
                }
            }
        }
        byVariant.values().removeIf(List::isEmpty);
        if (byVariant.isEmpty()) throw new IllegalArgumentException("no results under " + results);
        List<String> metrics = new ArrayList<>();
        report.path("metrics").forEach(m -> metrics.add(m.asText()));
        if (metrics.isEmpty()) metrics.addAll(List.of("ndcg@10", "mrr@10"));
        String pMetric = metrics.getFirst();

        StringBuilder md = new StringBuilder();
        md.append("<!-- written by `./ranker4j experiment report ").append(experiment).append("`; do not edit -->\n");
        md.append("### ").append(report.path("title").asText(experiment)).append("\n\n");
        for (String testName : testNames(byVariant)) {
            md.append("**").append(testName).append("** (").append(queries(byVariant, testName)).append(" test queries)")
                    .append(": mean ± sd over seeds; p = paired two-sided t-test / randomization test (")
                    .append(trials).append(" rounds) on ").append(pMetric)
                    .append(", per-query values averaged over seeds, against the first stage\n\n");
            JsonNode firstStage = firstStage(byVariant, testName);
            // Each variant's own first stage (a retriever it trained, re-ranked in a pipeline) gets a column; one
            // that all runs share gets a row.
            boolean ownFirstStages = firstStage != null && !sharedFirstStage(byVariant, testName);
            md.append("| variant | seeds |");
            for (String m : metrics) md.append(' ').append(m).append(" |");
            if (ownFirstStages) md.append(" its first stage's ").append(pMetric).append(" |");
            md.append(" p vs ").append(ownFirstStages ? "its" : "the").append(" first stage | train min | steps/s |\n|---|---|");
            md.append("---|".repeat(metrics.size() + (ownFirstStages ? 1 : 0))).append("---|---|---|\n");
            if (firstStage != null && !ownFirstStages) {
                md.append("| first stage (").append(Path.of(firstStage.path("first_stage_run").asText()).getFileName()).append(") | – |");
                for (String m : metrics) md.append(' ').append(format(firstStage.path("first_stage").path(m).asDouble())).append(" |");
                md.append(" | | |\n");
            }
            for (var entry : byVariant.entrySet()) {
                List<JsonNode> runs = entry.getValue().stream().filter(r -> r.path("test").has(testName)).toList();
                if (runs.isEmpty()) continue;
                md.append("| ").append(runs.getFirst().path("label").asText(entry.getKey())).append(" | ").append(runs.size()).append(" |");
                for (String m : metrics) md.append(' ').append(meanSd(runs, r -> r.path("test").path(testName).path("metrics").path(m).asDouble())).append(" |");
                if (ownFirstStages) {
                    md.append(' ').append(meanSd(runs, r -> r.path("test").path(testName).path("first_stage").path(pMetric).asDouble())).append(" |");
                }
                md.append(' ').append(firstStage == null ? "" : pValues(averagedPerQuery(runs, testName, pMetric, false),
                        averagedPerQuery(runs, testName, pMetric, true))).append(" |");
                md.append(' ').append(runs.getFirst().has("train") ? meanSd(runs, r -> r.path("wall_seconds").path("train").asDouble() / 60, 1) : "–").append(" |");
                md.append(' ').append(runs.getFirst().has("train") ? meanSd(runs, r -> r.path("train").path("steps_per_s").asDouble(), 3) : "–").append(" |\n");
            }
            md.append('\n');
            if (report.has("compare")) {
                StringBuilder rows = new StringBuilder();
                for (JsonNode pair : report.get("compare")) {
                    List<JsonNode> a = byVariant.getOrDefault(pair.get(0).asText(), List.of()), b = byVariant.getOrDefault(pair.get(1).asText(), List.of());
                    a = a.stream().filter(r -> r.path("test").has(testName)).toList();
                    b = b.stream().filter(r -> r.path("test").has(testName)).toList();
                    if (a.isEmpty() || b.isEmpty()) continue;
                    Map<String, Double> qa = averagedPerQuery(a, testName, pMetric, false), qb = averagedPerQuery(b, testName, pMetric, false);
                    double[][] paired = paired(qa, qb);
                    var t = SignificanceTests.pairedTTest(paired[0], paired[1]);
                    var rnd = SignificanceTests.pairedRandomization(paired[0], paired[1], trials, 42);
                    rows.append("| ").append(a.getFirst().path("label").asText()).append(" vs ").append(b.getFirst().path("label").asText())
                            .append(" | ").append(String.format(Locale.ROOT, "%+.4f", t.meanDifference())).append(" | ")
                            .append(formatP(t.pValue())).append(" | ").append(formatP(rnd.pValue())).append(" |\n");
                }
                if (!rows.isEmpty()) {
                    md.append("| comparison (").append(testName).append(", ").append(pMetric)
                            .append(") | Δ mean | t-test p | randomization p |\n|---|---|---|---|\n").append(rows).append('\n');
                }
            }
        }
        if (report.has("reference")) md.append(nonInferiority(report.get("reference"), byVariant, pMetric));
        for (JsonNode timing : report.path("timing")) md.append(timing(byVariant.getOrDefault(timing.asText(), List.of())));
        String curveMetric = report.path("curve").asText("ndcg@10");
        String svg = LearningCurves.svg(byVariant, "eval_" + curveMetric, report.path("title").asText(experiment)
                + ": dev " + curveMetric + " over training steps", report.path("curve_references"));
        md.append("Learning curves: [curves.svg](curves.svg) (dev ").append(curveMetric).append(" over steps, one line per run).\n");
        Files.createDirectories(results);
        AtomicFiles.writeTextUnchecked(results.resolve("summary.md"), out -> out.write(md.toString()));
        if (svg != null) AtomicFiles.writeTextUnchecked(results.resolve("curves.svg"), out -> out.write(svg));
        spec.commandLine().getOut().print(md);
        spec.commandLine().getOut().flush();
        return 0;
    }

    /**
     * Quality kept against a reference run (a teacher), with the non-inferiority test of Gao, Dai and Callan (ICTIR
     * 2020, Table 1): a student is non-inferior when the lower end of the 95% confidence interval of the per-query
     * difference (student − reference, t-distribution) lies above −margin × the reference's mean.
     */
    private String nonInferiority(JsonNode reference, Map<String, List<JsonNode>> byVariant, String metric) throws java.io.IOException {
        JsonNode teacher = ExperimentLayout.read(Path.of(reference.path("result").asText()));
        double margin = reference.path("margin").asDouble(0.03);
        StringBuilder md = new StringBuilder();
        for (var test : (Iterable<Map.Entry<String, JsonNode>>) teacher.path("test").properties()::iterator) {
            String testName = test.getKey();
            // A test run of the reference that no variant has (E2's students re-rank only the dense top 100) gets no table.
            if (byVariant.values().stream().flatMap(List::stream).noneMatch(r -> r.path("test").has(testName))) continue;
            Map<String, Double> t = new LinkedHashMap<>();
            test.getValue().path("per_query").path(metric).properties().forEach(e -> t.put(e.getKey(), e.getValue().asDouble()));
            double teacherMean = test.getValue().path("metrics").path(metric).asDouble();
            md.append(String.format(Locale.ROOT, "Against %s on **%s** (%s %.4f): quality kept = variant / reference %s; "
                            + "non-inferior (*) when the 95%% CI of the per-query difference stays above −%.0f%% of the reference (%.4f)%n%n",
                    reference.path("label").asText("the reference"), testName, metric, teacherMean, metric, margin * 100, -margin * teacherMean));
            md.append("| variant | seeds | ").append(metric).append(" | kept | Δ | 95% CI of Δ | non-inferior |\n|---|---|---|---|---|---|---|\n");
            for (var entry : byVariant.entrySet()) {
                List<JsonNode> runs = entry.getValue().stream().filter(r -> r.path("test").has(testName)).toList();
                if (runs.isEmpty()) continue;
                double[][] paired = paired(averagedPerQuery(runs, testName, metric, false), t);
                int n = paired[0].length;
                if (n < 2) continue;
                double mean = 0, ss = 0;
                for (int i = 0; i < n; i++) mean += (paired[0][i] - paired[1][i]) / n;
                for (int i = 0; i < n; i++) ss += Math.pow(paired[0][i] - paired[1][i] - mean, 2);
                double half = new org.apache.commons.math3.distribution.TDistribution(n - 1).inverseCumulativeProbability(0.975)
                        * Math.sqrt(ss / (n - 1) / n);
                double variantMean = runs.stream().mapToDouble(r -> r.path("test").path(testName).path("metrics").path(metric).asDouble()).average().orElse(0);
                md.append(String.format(Locale.ROOT, "| %s | %d | %.4f | %.1f%% | %+.4f | [%+.4f, %+.4f] | %s |%n",
                        runs.getFirst().path("label").asText(entry.getKey()), runs.size(), variantMean, 100 * variantMean / teacherMean,
                        mean, mean - half, mean + half, mean - half > -margin * teacherMean ? "yes *" : "no"));
            }
            md.append('\n');
        }
        return md.toString();
    }

    /** The timed test-time commands of a variant's runs: seconds and, for re-ranking, pairs per second. */
    private static String timing(List<JsonNode> runs) {
        if (runs.isEmpty()) return "";
        StringBuilder md = new StringBuilder("Timed in one process, one after the other (" + runs.getFirst().path("label").asText()
                + ", " + runs.getFirst().path("machine").path("cpu").asText() + ", " + runs.getFirst().path("machine").path("cores").asText() + " cores):\n\n"
                + "| command | seconds | pairs | pairs/s |\n|---|---|---|---|\n");
        for (JsonNode run : runs) {
            run.path("steps").properties().forEach(e -> md.append("| `").append(e.getValue().path("command").asText()
                            .replaceAll(" --(queries|corpus|qrels) \\S+", "")).append("` | ")
                    .append(e.getValue().path("seconds").asText()).append(" | ").append(e.getValue().path("run_lines").asText("–"))
                    .append(" | ").append(e.getValue().path("run_lines_per_s").asText("–")).append(" |\n"));
        }
        return md.append('\n').toString();
    }

    private static List<String> testNames(Map<String, List<JsonNode>> byVariant) {
        List<String> names = new ArrayList<>();
        for (List<JsonNode> runs : byVariant.values()) {
            for (JsonNode r : runs) r.path("test").fieldNames().forEachRemaining(n -> { if (!names.contains(n)) names.add(n); });
        }
        return names;
    }

    private static int queries(Map<String, List<JsonNode>> byVariant, String testName) {
        for (List<JsonNode> runs : byVariant.values()) {
            for (JsonNode r : runs) if (r.path("test").has(testName)) return r.path("test").path(testName).path("metrics").path("queries").asInt();
        }
        return 0;
    }

    private static JsonNode firstStage(Map<String, List<JsonNode>> byVariant, String testName) {
        for (List<JsonNode> runs : byVariant.values()) {
            for (JsonNode r : runs) if (r.path("test").path(testName).has("first_stage")) return r.path("test").path(testName);
        }
        return null;
    }

    /** Whether every run of {@code testName} re-ranks the same first-stage run file. */
    private static boolean sharedFirstStage(Map<String, List<JsonNode>> byVariant, String testName) {
        java.util.Set<String> files = new java.util.HashSet<>();
        for (List<JsonNode> runs : byVariant.values()) {
            for (JsonNode r : runs) {
                if (r.path("test").path(testName).has("first_stage")) files.add(r.path("test").path(testName).path("first_stage_run").asText());
            }
        }
        return files.size() <= 1;
    }

    /**
     * Query id → the metric averaged over the runs (the variant's seeds); {@code firstStage}: of their first stages
     * (the same file for every seed when the first stage is shared, each seed's own retriever in a pipeline).
     */
    private static Map<String, Double> averagedPerQuery(List<JsonNode> runs, String testName, String metric, boolean firstStage) {
        Map<String, Double> sums = new LinkedHashMap<>();
        String values = firstStage ? "first_stage_per_query" : "per_query";
        for (JsonNode r : runs) {
            r.path("test").path(testName).path(values).path(metric).properties()
                    .forEach(e -> sums.merge(e.getKey(), e.getValue().asDouble() / runs.size(), Double::sum));
        }
        return sums;
    }

    private String pValues(Map<String, Double> a, Map<String, Double> b) {
        if (a.isEmpty() || b.isEmpty()) return "";
        double[][] paired = paired(a, b);
        if (paired[0].length < 2) return "";
        var t = SignificanceTests.pairedTTest(paired[0], paired[1]);
        var r = SignificanceTests.pairedRandomization(paired[0], paired[1], trials, 42);
        return String.format(Locale.ROOT, "%+.4f: %s / %s", t.meanDifference(), formatP(t.pValue()), formatP(r.pValue()));
    }

    private static double[][] paired(Map<String, Double> a, Map<String, Double> b) {
        List<String> common = a.keySet().stream().filter(b::containsKey).toList();
        double[][] out = new double[2][common.size()];
        for (int i = 0; i < common.size(); i++) {
            out[0][i] = a.get(common.get(i));
            out[1][i] = b.get(common.get(i));
        }
        return out;
    }

    private static String meanSd(List<JsonNode> runs, java.util.function.ToDoubleFunction<JsonNode> value) {
        return meanSd(runs, value, 4);
    }

    private static String meanSd(List<JsonNode> runs, java.util.function.ToDoubleFunction<JsonNode> value, int digits) {
        double[] v = runs.stream().mapToDouble(value).toArray();
        double mean = 0;
        for (double x : v) mean += x / v.length;
        String m = String.format(Locale.ROOT, "%." + digits + "f", mean);
        if (v.length < 2) return m;
        double ss = 0;
        for (double x : v) ss += (x - mean) * (x - mean);
        return m + String.format(Locale.ROOT, " ± %." + digits + "f", Math.sqrt(ss / (v.length - 1)));
    }

    private static String format(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }

    private static String formatP(double p) {
        return p < 1e-4 ? String.format(Locale.ROOT, "%.1e", p) : String.format(Locale.ROOT, "%.4f", p);
    }
}
