package dev.ranker4j.cli;

import dev.ranker4j.ir.data.Qrels;
import dev.ranker4j.ir.data.QrelsSplit;
import dev.ranker4j.ir.data.TrecFormat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code ranker4j split-qrels}: a seeded query-level split of qrels, e.g. a dev split held out of the training queries. */
@Command(name = "split-qrels", mixinStandardHelpOptions = true,
        description = {"Split judged queries into two disjoint TREC qrels files (every judgment follows its query):",
                "ids sorted, shuffled with --seed, the first round(fraction x queries) held out."})
final class SplitQrelsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--qrels", required = true, paramLabel = "FILE", description = "TREC qrels or BEIR qrels TSV.")
    Path qrels;

    @Option(names = "--held-out-fraction", defaultValue = "0.1",
            description = "Fraction of the queries held out (default: ${DEFAULT-VALUE}).")
    double fraction;

    @Option(names = "--seed", defaultValue = "1", description = "Shuffle seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--kept", required = true, paramLabel = "FILE", description = "TREC qrels of the queries kept.")
    Path kept;

    @Option(names = "--held-out", required = true, paramLabel = "FILE", description = "TREC qrels of the held-out queries.")
    Path heldOut;

    @Override
    public Integer call() {
        new OutputPaths().input("--qrels", qrels).file("--kept", kept).file("--held-out", heldOut)
                .input("--kept", kept).file("--held-out", heldOut);
        if (!(fraction > 0 && fraction < 1)) throw new IllegalArgumentException("--held-out-fraction must be in (0, 1), got " + fraction);
        QrelsSplit split = QrelsSplit.of(Qrels.read(qrels), fraction, seed);
        TrecFormat.writeQrels(kept, split.kept().judgments());
        TrecFormat.writeQrels(heldOut, split.heldOut().judgments());
        spec.commandLine().getOut().printf("{\"kept_queries\":%d,\"held_out_queries\":%d}%n",
                split.kept().queryIds().size(), split.heldOut().queryIds().size());
        spec.commandLine().getOut().flush();
        return 0;
    }
}
