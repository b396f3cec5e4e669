package dev.ranker4j.spark;

import dev.ranker4j.index.IndexKind;
import dev.ranker4j.index.IndexStatistics;
import dev.ranker4j.index.VectorIndexer;
import dev.ranker4j.ir.retrieval.DenseVectors;
import dev.ranker4j.ir.retrieval.Progress;
import dev.ranker4j.ir.retrieval.Similarity;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;

import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ranker4j spark index}: a directory of vector Parquet files to Lucene vector indexes, one shard per file
 * ({@code OUTPUT/shard-NNNNN}, each built by the index module's {@link VectorIndexer} exactly as {@code ranker4j index
 * hnsw|flat} builds one index). A shard is written atomically, so a rerun skips the shards that exist. Lucene reads
 * and writes local files: OUTPUT is a path every executor sees (a local disk in local mode, a shared mount on a
 * cluster).
 */
final class IndexJob {
    private IndexJob() {}

    record Settings(String vectors, String output, IndexKind kind, Similarity similarity, int m, int efConstruction,
                    boolean quiet) {}

    record Result(int shards, int built, long documents, int dimension, double seconds) {}

    private record Shard(int shard, String file) implements Serializable {}

    private record ShardResult(int shard, long documents, int dimension, boolean skipped) implements Serializable {}

    static Result run(SparkSession spark, Settings s) {
        long start = System.nanoTime();
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Configuration conf = jsc.hadoopConfiguration();
        List<org.apache.hadoop.fs.Path> files = VectorParquet.files(s.vectors(), conf);
        Path output = localPath(s.output());
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("job", "index");
        settings.put("vectors", s.vectors());
        settings.put("shards", files.size());
        settings.put("kind", s.kind().label());
        settings.put("similarity", s.similarity().name().toLowerCase(java.util.Locale.ROOT));
        settings.put("m", s.m());
        settings.put("ef_construction", s.efConstruction());
        PartFiles.claim(new org.apache.hadoop.fs.Path(output.toUri()), settings, conf);

        List<Shard> shards = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) shards.add(new Shard(i, files.get(i).toString()));
        IndexKind kind = s.kind();
        Similarity similarity = s.similarity();
        int m = s.m();
        int efConstruction = s.efConstruction();
        String outputDir = output.toString();
        LongAccumulator indexed = jsc.sc().longAccumulator("ranker4j vectors indexed");
        List<ShardResult> results;
        try (JobProgress ignored = JobProgress.start(spark, "spark index", "vectors", 0, indexed, s.quiet())) {
            results = jsc.parallelize(shards, Math.max(1, shards.size()))
                    .map(shard -> buildShard(shard, new VectorIndexer.Settings(kind, similarity, m, efConstruction, 1),
                            outputDir, indexed))
                    .collect();
        }
        long documents = 0;
        int built = 0;
        int dimension = 0;
        for (ShardResult result : results) {
            documents += result.documents();
            dimension = Math.max(dimension, result.dimension());
            if (!result.skipped()) built++;
        }
        return new Result(shards.size(), built, documents, dimension, (System.nanoTime() - start) / 1e9);
    }

    static String shardName(int shard) {
        return String.format("shard-%05d", shard);
    }

    private static ShardResult buildShard(Shard shard, VectorIndexer.Settings settings, String outputDir,
                                          LongAccumulator indexed) {
        Path dir = Path.of(outputDir, shardName(shard.shard()));
        if (Files.isDirectory(dir)) return new ShardResult(shard.shard(), 0, 0, true);
        org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(shard.file());
        DenseVectors vectors = VectorParquet.read(file, new Configuration());
        if (vectors == null) throw new IllegalArgumentException(shard.file() + ": no vectors");
        IndexStatistics statistics = new VectorIndexer(settings).index(vectors, file.getName(), dir, Progress.NONE);
        indexed.add(vectors.size());
        return new ShardResult(shard.shard(), statistics.documents(), vectors.dimension(), false);
    }

    /** A local path from a plain path or a {@code file:} URI (Lucene needs local files). */
    static Path localPath(String location) {
        if (location.startsWith("file:")) return Path.of(java.net.URI.create(location)).toAbsolutePath();
        if (location.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*")) {
            throw new IllegalArgumentException(location + ": Lucene shards live on a local or mounted file system;"
                    + " give a path, not a " + location.substring(0, location.indexOf(':')) + " URI");
        }
        return Path.of(location).toAbsolutePath();
    }
}
