package dev.ranker4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ranker4j.ir.data.Qrels;
import dev.ranker4j.ir.data.Run;
import dev.ranker4j.ir.metrics.Evaluation;
import dev.ranker4j.ir.metrics.Evaluator;
import dev.ranker4j.ir.metrics.Metric;
import dev.ranker4j.ir.metrics.SignificanceTests;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code ranker4j eval}: trec_eval-compatible metrics of a run, optionally compared with a second run. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {"Evaluate a run against qrels with trec_eval's definitions; print a table, then one JSON line.",
                "Relevance for mrr/recall/map/p is grade >= --rel-threshold (trec_eval -l; TREC DL uses 2);"
                        + " ndcg uses the grades as gains. Ties: score descending, then docid descending."})
final class EvalCommand implements Callable<Integer> {

    enum RunFormat { trec, msmarco, scores }

    enum Test { ttest, randomization }

    @Spec
    CommandSpec spec;

    @Option(names = "--qrels", required = true, paramLabel = "FILE",
            description = "TREC qrels (qid iter docid grade) or BEIR qrels TSV (with header).")
    Path qrels;

    @Option(names = "--run", required = true, paramLabel = "FILE", description = "The run to evaluate.")
    Path run;

    @Option(names = "--run-format", defaultValue = "trec", paramLabel = "FORMAT",
            description = "Format of --run and --compare: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    RunFormat runFormat;

    @Option(names = "--metrics", split = ",", defaultValue = "ndcg@10,mrr@10,recall@100,map", paramLabel = "LIST",
            description = "Comma-separated: ndcg[@k], mrr[@k], recall@k, map[@k], p@k (default: ${DEFAULT-VALUE}).")
    List<String> metrics;

    @Option(names = {"-l", "--rel-threshold"}, defaultValue = "1", paramLabel = "GRADE",
            description = "Minimum grade of a relevant document for the binary metrics (default: ${DEFAULT-VALUE},"
                    + " as trec_eval).")
    int relevanceThreshold;

    @Option(names = {"-c", "--complete"},
            description = "Average over every query in the qrels; queries missing from the run score 0"
                    + " (trec_eval -c). Default: only the judged queries the run answers.")
    boolean complete;

    @Option(names = "--per-query", description = "Also print every query's values (like trec_eval -q).")
    boolean perQuery;

    @Option(names = "--compare", paramLabel = "RUN2", description = "A second run to compare with, query by query.")
    Path compare;

    @Option(names = "--test", defaultValue = "ttest", paramLabel = "TEST",
            description = "Paired significance test for --compare: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Test test;

    @Option(names = "--trials", defaultValue = "10000", description = "Randomization test rounds (default: ${DEFAULT-VALUE}).")
    int trials;

    @Option(names = "--seed", defaultValue = "42", description = "Randomization test seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() {
        List<Metric> parsed = metrics.stream().map(Metric::parse).toList();
        Evaluator evaluator = new Evaluator(Qrels.read(qrels), parsed, relevanceThreshold, complete);
        Evaluation first = evaluator.evaluate(readRun(run));
        Evaluation second = compare == null ? null : evaluator.evaluate(readRun(compare));
        PrintWriter out = spec.commandLine().getOut();
        if (perQuery) printPerQuery(out, first, second);
        ObjectNode json = new ObjectMapper().createObjectNode();
        if (second == null) {
            printTable(out, first);
            json.put("num_q", first.numQueries());
            first.means().forEach(json::put);
        } else {
            printComparison(out, first, second, json);
        }
        out.println(json);
        out.flush();
        return 0;
    }

    private Run readRun(Path file) {
        return switch (runFormat) {
            case trec -> Run.readTrec(file);
            case msmarco -> Run.readMsMarco(file);
            case scores -> Run.readScoreFile(file);
        };
    }

    private static void printPerQuery(PrintWriter out, Evaluation first, Evaluation second) {
        for (Metric metric : first.metrics()) {
            for (String queryId : first.queryIds()) {
                String line = metric.name() + "\t" + queryId + "\t" + format(first.value(metric, queryId));
                if (second != null && second.queryIds().contains(queryId)) {
                    line += "\t" + format(second.value(metric, queryId));
                }
                out.println(line);
            }
        }
    }

    private static void printTable(PrintWriter out, Evaluation evaluation) {
        out.printf(Locale.ROOT, "%-14s %8s%n", "metric", "value");
        for (Metric metric : evaluation.metrics()) {
            out.printf(Locale.ROOT, "%-14s %8s%n", metric.name(), format(evaluation.mean(metric)));
        }
        out.printf(Locale.ROOT, "%-14s %8d%n", "num_q", evaluation.numQueries());
    }

    private void printComparison(PrintWriter out, Evaluation first, Evaluation second, ObjectNode json) {
        List<String> queries = first.commonQueryIds(second);
        if (queries.size() < 2) {
            throw new IllegalArgumentException("the two runs share " + queries.size()
                    + " evaluated queries; a paired test needs at least 2");
        }
        out.printf(Locale.ROOT, "%-14s %8s %8s %9s %10s%n", "metric", "run", "compare", "diff", "p (" + test + ")");
        ObjectNode runMeans = json.putObject("run");
        ObjectNode compareMeans = json.putObject("compare");
        ObjectNode pValues = json.putObject("p_value");
        for (Metric metric : first.metrics()) {
            double[] a = first.values(metric, queries);
            double[] b = second.values(metric, queries);
            SignificanceTests.Result result = test == Test.ttest
                    ? SignificanceTests.pairedTTest(a, b)
                    : SignificanceTests.pairedRandomization(a, b, trials, seed);
            double meanA = mean(a);
            double meanB = mean(b);
            out.printf(Locale.ROOT, "%-14s %8s %8s %9s %10s%n", metric.name(), format(meanA), format(meanB),
                    String.format(Locale.ROOT, "%+.4f", meanA - meanB), format(result.pValue()));
            runMeans.put(metric.name(), meanA);
            compareMeans.put(metric.name(), meanB);
            pValues.put(metric.name(), result.pValue());
        }
        out.printf(Locale.ROOT, "%-14s %8d%n", "num_q", queries.size());
        json.put("num_q", queries.size());
        json.put("test", test.name());
        if (test == Test.randomization) json.put("trials", trials).put("seed", seed);
    }

    private static double mean(double[] values) {
        double sum = 0;
        for (double value : values) sum += value;
        return sum / values.length;
    }

    // trec_eval prints 4 decimals.
    private static String format(double value) {
        return String.format(Locale.ROOT, "%.4f", value);
    }
}
