package dev.ranker4j.spark;

import dev.ranker4j.index.IndexKind;
import dev.ranker4j.ir.retrieval.Similarity;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code ranker4j spark index hnsw|flat}: one Lucene vector index shard per Parquet file. */
@Command(name = "index", mixinStandardHelpOptions = true,
        description = {"Build Lucene vector index shards from Parquet vectors (ranker4j spark encode): one shard per"
                + " file, OUTPUT/shard-NNNNN, each as ranker4j index hnsw|flat builds an index.",
                "OUTPUT must be a path every executor can write (local disk in local mode, a shared mount on a cluster)."
                        + " Rerun to resume: finished shards are skipped."})
final class SparkIndexCommand implements Callable<Integer> {
    enum Type { hnsw, flat }

    enum SimilarityName { cosine, dot }

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "hnsw|flat", description = "The index type.")
    Type type;

    @Option(names = "--vectors", required = true, paramLabel = "DIR", description = "Parquet (id, vector) files.")
    String vectors;

    @Option(names = "--output", required = true, paramLabel = "DIR", description = "The shard directory to write.")
    String output;

    @Option(names = "-M", defaultValue = "16", description = "HNSW connections per node (default: ${DEFAULT-VALUE}).")
    int m;

    @Option(names = "--ef-construction", defaultValue = "100",
            description = "HNSW candidates while building (default: ${DEFAULT-VALUE}).")
    int efConstruction;

    @Option(names = "--int8", description = "hnsw: 8-bit scalar-quantized vectors.")
    boolean int8;

    @Option(names = "--similarity", defaultValue = "cosine", paramLabel = "cosine|dot",
            description = "cosine (default) or dot.")
    SimilarityName similarity;

    @Mixin
    SparkOptions sparkOptions;

    @Override
    public Integer call() {
        if (int8 && type != Type.hnsw) throw new IllegalArgumentException("--int8 is for hnsw");
        IndexKind kind = type == Type.flat ? IndexKind.FLAT : int8 ? IndexKind.HNSW_INT8 : IndexKind.HNSW;
        SparkSession spark = sparkOptions.session("index");
        IndexJob.Result result = IndexJob.run(spark, new IndexJob.Settings(vectors, output, kind,
                similarity == SimilarityName.dot ? Similarity.DOT : Similarity.COSINE, m, efConstruction,
                sparkOptions.quiet));
        spec.commandLine().getOut().printf(Locale.ROOT,
                "{\"output\":%s,\"kind\":\"%s\",\"shards\":%d,\"built\":%d,\"documents\":%d,\"dim\":%d,\"index_s\":%.3f}%n",
                SparkEncodeCommand.quote(output), kind.label(), result.shards(), result.built(), result.documents(),
                result.dimension(), result.seconds());
        spec.commandLine().getOut().flush();
        return 0;
    }
}
