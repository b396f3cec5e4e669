package dev.ranker4j.cli;

import dev.ranker4j.ir.data.Qrels;
import dev.ranker4j.ir.data.Run;
import dev.ranker4j.ir.data.TrecFormat;
import dev.ranker4j.ir.fusion.RunFusion;
import dev.ranker4j.ir.metrics.Evaluator;
import dev.ranker4j.ir.metrics.Metric;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code ranker4j fuse}: interpolates two runs (a re-ranker's and its first stage's), the weight given or tuned. */
@Command(name = "fuse", mixinStandardHelpOptions = true,
        description = {"Interpolate two runs per query: alpha x minmax(A) + (1 - alpha) x minmax(B) (a document missing"
                + " from a list counts 0 there).",
                "Give --alpha, or tune it on held-out queries: --tune-qrels with --tune-a/--tune-b (the same two"
                        + " systems' runs for those queries); the grid 0, 0.05, ..., 1 is searched for the best --metric."})
final class FuseCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--a", required = true, paramLabel = "RUN", description = "First run (e.g. the re-ranked run).")
    Path a;

    @Option(names = "--b", required = true, paramLabel = "RUN", description = "Second run (e.g. the first stage).")
    Path b;

    @Option(names = "--alpha", description = "Weight of --a in [0, 1].")
    Double alpha;

    @Option(names = "--tune-qrels", paramLabel = "FILE", description = "Held-out qrels to choose alpha on.")
    Path tuneQrels;

    @Option(names = "--tune-a", paramLabel = "RUN", description = "Run of system A on the held-out queries.")
    Path tuneA;

    @Option(names = "--tune-b", paramLabel = "RUN", description = "Run of system B on the held-out queries.")
    Path tuneB;

    @Option(names = "--metric", defaultValue = "ndcg@10", description = "Metric to tune (default: ${DEFAULT-VALUE}).")
    String metric;

    @Option(names = "--output", required = true, paramLabel = "FILE", description = "The fused TREC run.")
    Path output;

    @Option(names = "--tag", defaultValue = "ranker4j-fused", description = "Run tag (default: ${DEFAULT-VALUE}).")
    String tag;

    @Override
    public Integer call() {
        new OutputPaths().input("--a", a).input("--b", b).input("--tune-qrels", tuneQrels).input("--tune-a", tuneA)
                .input("--tune-b", tuneB).file("--output", output);
        if (alpha != null && !(alpha >= 0 && alpha <= 1)) throw new IllegalArgumentException("--alpha must be in [0, 1], got " + alpha);
        boolean tuning = tuneQrels != null || tuneA != null || tuneB != null;
        if (tuning == (alpha != null)) throw new IllegalArgumentException("give either --alpha or --tune-qrels with --tune-a and --tune-b");
        String chosen;
        double weight;
        if (tuning) {
            if (tuneQrels == null || tuneA == null || tuneB == null) {
                throw new IllegalArgumentException("tuning needs all of --tune-qrels, --tune-a and --tune-b");
            }
            Metric m = Metric.parse(metric);
            Qrels qrels = Qrels.read(tuneQrels);
            Evaluator evaluator = new Evaluator(qrels, List.of(m), 1, true);
            Run ta = Run.readTrec(tuneA).restrictedTo(qrels.queryIds()), tb = Run.readTrec(tuneB).restrictedTo(qrels.queryIds());
            RunFusion.Tuned tuned = RunFusion.tune(ta, tb, RunFusion.grid(20), evaluator, m);
            weight = tuned.alpha();
            chosen = String.format(Locale.ROOT, ",\"tuned_on\":%s,\"tuned_%s\":%.6f", Json.quote(tuneQrels.toString()), m.name(), tuned.value());
        } else {
            weight = alpha;
            chosen = "";
        }
        Run fused = RunFusion.interpolate(Run.readTrec(a), Run.readTrec(b), weight);
        TrecFormat.writeRun(output, fused.entries(tag));
        spec.commandLine().getOut().printf(Locale.ROOT, "{\"output\":%s,\"alpha\":%.2f%s,\"queries\":%d}%n",
                Json.quote(output.toString()), weight, chosen, fused.size());
        spec.commandLine().getOut().flush();
        return 0;
    }
}
