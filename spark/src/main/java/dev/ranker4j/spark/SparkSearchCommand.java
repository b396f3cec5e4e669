package dev.ranker4j.spark;

import dev.ranker4j.ir.retrieval.Similarity;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code ranker4j spark search}: every partition searched, the top k merged into one TREC run. */
@Command(name = "search", mixinStandardHelpOptions = true,
        description = {"Top-k search over Parquet vectors (exact, one task per file: ranker4j search --docs's run) or"
                + " over index shards (ranker4j spark index, HNSW), merged into one TREC run.",
                "Queries: a vector file (ranker4j encode --kind queries) or texts with --model, encoded on the driver."
                        + " Ties are ranked as trec_eval ranks them (docid descending)."})
final class SparkSearchCommand implements Callable<Integer> {
    enum SimilarityName { cosine, dot }

    @Spec
    CommandSpec spec;

    static final class Source {
        @Option(names = "--vectors", required = true, paramLabel = "DIR", description = "Parquet (id, vector) files: exact search.")
        String vectors;

        @Option(names = "--index", required = true, paramLabel = "DIR", description = "Shards of ranker4j spark index.")
        String index;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Option(names = "--queries", required = true, paramLabel = "FILE",
            description = "Query vectors (ranker4j encode), or query texts (queries.jsonl, id TAB text) with --model.")
    String queries;

    @Option(names = "--model", paramLabel = "DIR|ORG/NAME", description = "Encoder for query texts.")
    String model;

    @Option(names = "--qrels", paramLabel = "FILE", description = "Search only the queries judged in these qrels.")
    String qrels;

    @Option(names = "--output", required = true, paramLabel = "FILE", description = "The TREC run to write.")
    String output;

    @Option(names = {"-k", "--k"}, defaultValue = "100", description = "Documents per query (default: ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--ef", defaultValue = "100", description = "HNSW search beam (default: ${DEFAULT-VALUE}).")
    int ef;

    @Option(names = "--similarity", defaultValue = "cosine", paramLabel = "cosine|dot",
            description = "--vectors: cosine (default) or dot.")
    SimilarityName similarity;

    @Option(names = "--max-length", defaultValue = "256", description = "Query tokens when encoding (default: ${DEFAULT-VALUE}).")
    int maxLength;

    @Option(names = "--batch-size", defaultValue = "32", description = "Queries per forward pass (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--remove-query", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "--index: drop a hit whose document id equals the query id (default: on).")
    boolean removeQuery;

    @Option(names = "--verify", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "--index: check every index file's checksum before searching (default: on).")
    boolean verify;

    @Option(names = "--tag", description = "Run tag (default: ranker4j-dense, or ranker4j-spark-index).")
    String tag;

    @Mixin
    SparkOptions sparkOptions;

    @Override
    public Integer call() {
        if (k < 1) throw new IllegalArgumentException("-k must be at least 1");
        SparkSession spark = sparkOptions.session("search");
        SearchJob.Result result = SearchJob.run(spark, new SearchJob.Settings(source.vectors, source.index, queries,
                model, qrels, k, ef, similarity == SimilarityName.dot ? Similarity.DOT : Similarity.COSINE, maxLength,
                batchSize, removeQuery, verify, output, tag, sparkOptions.threadsPerTask, sparkOptions.quiet));
        spec.commandLine().getOut().printf(Locale.ROOT,
                "{\"output\":%s,\"queries\":%d,\"parts\":%d,\"k\":%d,\"encode_s\":%.3f,\"search_s\":%.3f}%n",
                SparkEncodeCommand.quote(output), result.queries(), result.parts(), k, result.encodeSeconds(),
                result.searchSeconds());
        spec.commandLine().getOut().flush();
        return 0;
    }
}
