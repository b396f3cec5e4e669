package dev.ranker4j.spark;

import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code ranker4j spark rerank}: a TREC run re-ranked at scale; the run of {@code ranker4j rerank}. */
@Command(name = "rerank", mixinStandardHelpOptions = true,
        description = {"Re-rank each query's top --depth documents of a TREC run with a model, the corpus joined in a"
                + " distributed join; writes the TREC run ranker4j rerank writes.",
                "Rerun to resume: finished partitions (OUTPUT.parts/) are skipped."})
final class SparkRerankCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--run", required = true, paramLabel = "FILE", description = "The first-stage TREC run.")
    String run;

    @Option(names = "--queries", required = true, paramLabel = "FILE", description = "queries.jsonl or id TAB text.")
    String queries;

    @Option(names = "--corpus", required = true, paramLabel = "FILE", description = "corpus.jsonl or id TAB text.")
    String corpus;

    @Option(names = "--qrels", paramLabel = "FILE", description = "Re-rank only the queries judged in these qrels.")
    String qrels;

    @Option(names = "--model", required = true, paramLabel = "DIR|ORG/NAME", description = "The re-ranking model.")
    String model;

    @Option(names = "--kind", defaultValue = "cross_encoder",
            description = "Model kind: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    ExecutorModels.ScorerKind kind;

    @Option(names = "--output", required = true, paramLabel = "FILE", description = "The re-ranked TREC run.")
    String output;

    @Option(names = "--depth", defaultValue = "100", description = "Documents re-ranked per query (default: ${DEFAULT-VALUE}).")
    int depth;

    @Option(names = "--batch-size", defaultValue = "32", description = "Pairs per forward pass (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--max-length", defaultValue = "256", description = "Tokens per pair or document (default: ${DEFAULT-VALUE}).")
    int maxLength;

    @Option(names = "--query-length", defaultValue = "32", description = "Query tokens (default: ${DEFAULT-VALUE}).")
    int queryLength;

    @Option(names = "--tag", defaultValue = "ranker4j-rerank", description = "Run tag (default: ${DEFAULT-VALUE}).")
    String tag;

    @Option(names = "--partitions", defaultValue = "0", description = "Query partitions (default: 4 per task slot).")
    int partitions;

    @Mixin
    SparkOptions sparkOptions;

    @Override
    public Integer call() {
        if (depth < 1 || batchSize < 1) throw new IllegalArgumentException("--depth and --batch-size must be positive");
        SparkSession spark = sparkOptions.session("rerank");
        RerankJob.Result result = RerankJob.run(spark, new RerankJob.Settings(run, queries, corpus, qrels, model, kind,
                depth, batchSize, maxLength, queryLength, output, tag, partitions, sparkOptions.threadsPerTask,
                sparkOptions.quiet));
        spec.commandLine().getOut().printf(Locale.ROOT,
                "{\"output\":%s,\"queries\":%d,\"pairs\":%d,\"partitions\":%d,\"scored_partitions\":%d,\"rerank_s\":%.3f}%n",
                SparkEncodeCommand.quote(output), result.queries(), result.pairs(), result.partitions(),
                result.scoredPartitions(), result.seconds());
        spec.commandLine().getOut().flush();
        return 0;
    }
}
