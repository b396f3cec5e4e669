package dev.ranker4j.spark;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ranker4j.ir.retrieval.DenseVectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;
import scala.Tuple2;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ranker4j spark encode}: a corpus (or query) file to a directory of Parquet files of (id, vector), one per
 * partition, with the vectors of {@code ranker4j encode} bit for bit.
 *
 * <p><b>Plan.</b> {@code ranker4j encode} sorts all texts by length, longest first (ties in file order), and cuts that
 * order into batches; a vector depends (by up to 2.5e-7) on the batch it was padded in. So the job sorts the same way
 * (a distributed sort), numbers the sorted texts, and gives each partition a range of whole batches
 * ({@link BatchRangePartitioner}, ranges of about equal cost). Each task then encodes its partition with the
 * executor's shared model ({@link WindowEncoder}, one window = the partition) into exactly the batches of the
 * single-machine command.
 *
 * <p><b>Resuming.</b> A task writes its vectors to {@code OUTPUT/part-NNNNN.parquet} through a temporary file and a
 * rename ({@link PartFiles}); a rerun of the same command plans the same partitions and skips every part that exists.
 * {@code OUTPUT/_ranker4j.json} holds the settings; a rerun with different ones is refused.
 */
final class EncodeJob {
    private EncodeJob() {}

    /**
     * @param partitions 0: as many as a rerun's manifest says, else four per task slot (at most one per batch)
     */
    record Settings(String input, TextInputs.Kind kind, String output, String model, int maxLength, int batchSize,
                    boolean normalize, int partitions, int threads, boolean quiet) {}

    /** What a run did; {@code dimension} is 0 when every part was already there. */
    record Result(long count, int dimension, int partitions, int encodedPartitions, long encodedTexts, double seconds) {}

    /** Statistics of one task: texts encoded (0 when skipped), the dimension. */
    private record PartResult(int partition, long texts, int dimension, boolean skipped) implements java.io.Serializable {}

    static Result run(SparkSession spark, Settings s) {
        long start = System.nanoTime();
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Configuration conf = jsc.hadoopConfiguration();
        Path output = new Path(s.output());

        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("job", "encode");
        settings.put("input", s.input());
        settings.put("kind", s.kind());
        settings.put("model", s.model());
        settings.put("max_length", s.maxLength());
        settings.put("batch_size", s.batchSize());
        settings.put("normalize", s.normalize());
        ObjectNode manifest = PartFiles.claim(output, settings, conf);

        JavaRDD<TextRow> rows = TextInputs.read(jsc, s.input(), s.kind(), 0);
        try {
            TextInputs.requireUniqueIds(rows, s.input());
            long count = rows.count();
            if (count == 0) throw new IllegalArgumentException(s.input() + ": no texts");
            long batches = (count + s.batchSize() - 1) / s.batchSize();
            int partitions = s.partitions() > 0 ? s.partitions()
                    : manifest.has("partitions") ? manifest.get("partitions").asInt()
                    : (int) Math.min(batches, 4L * jsc.defaultParallelism());
            if (manifest.has("partitions") && manifest.get("partitions").asInt() != partitions) {
                throw new IllegalArgumentException(output + " holds the parts of another run (partitions was "
                        + manifest.get("partitions").asText() + ", now " + partitions + "); delete it or choose another"
                        + " output");
            }

            // Longest first, ties in file order: the order of CorpusEncoder in ranker4j encode.
            JavaRDD<TextRow> sorted = rows.keyBy(EncodeJob::sortKey).sortByKey(true, partitions).values();
            JavaPairRDD<Long, TextRow> ranked = sorted.zipWithIndex().mapToPair(Tuple2::swap);
            int batchSize = s.batchSize();
            List<Tuple2<Long, Integer>> openers = ranked.filter(t -> t._1() % batchSize == 0)
                    .mapToPair(t -> new Tuple2<>(t._1() / batchSize, t._2().text().length())).collect();
            long[] lengths = new long[(int) batches];
            for (Tuple2<Long, Integer> opener : openers) lengths[opener._1().intValue()] = opener._2();
            BatchRangePartitioner plan = BatchRangePartitioner.balanced(lengths, count, batchSize, partitions);
            if (!manifest.has("partitions")) {
                PartFiles.record(output, "partitions", Integer.toString(plan.numPartitions()), conf);
                PartFiles.record(output, "count", Long.toString(count), conf);
            }

            WindowEncoder encoder = new WindowEncoder(s.model(), s.maxLength(), batchSize, s.normalize(), 0, s.threads());
            LongAccumulator encoded = jsc.sc().longAccumulator("ranker4j texts encoded");
            String outputDir = s.output();
            List<PartResult> parts;
            try (JobProgress ignored = JobProgress.start(spark, "spark encode", "texts", count, encoded, s.quiet())) {
                parts = ranked.repartitionAndSortWithinPartitions(plan)
                        .mapPartitionsWithIndex((partition, planned) ->
                                encodePart(partition, planned, encoder, outputDir, encoded), true)
                        .collect();
            }
            int dimension = 0;
            long texts = 0;
            int done = 0;
            for (PartResult part : parts) {
                dimension = Math.max(dimension, part.dimension());
                texts += part.texts();
                if (!part.skipped()) done++;
            }
            return new Result(count, dimension, plan.numPartitions(), done, texts, (System.nanoTime() - start) / 1e9);
        } finally {
            rows.unpersist(false);
        }
    }

    private static Iterator<PartResult> encodePart(int partition, Iterator<Tuple2<Long, TextRow>> planned,
                                                   WindowEncoder encoder, String outputDir, LongAccumulator encoded) {
        Configuration conf = new Configuration();
        Path part = new Path(outputDir, PartFiles.partName(partition, "parquet"));
        if (PartFiles.exists(part, conf)) return List.of(new PartResult(partition, 0, 0, true)).iterator();
        List<TextRow> rows = new ArrayList<>();
        planned.forEachRemaining(t -> rows.add(t._2()));
        if (rows.isEmpty()) return List.<PartResult>of().iterator();
        List<WindowEncoder.Encoded<TextRow>> vectors = encoder.encodeWindow(rows, TextRow::text, encoded);
        List<String> ids = new ArrayList<>(rows.size());
        float[][] data = new float[rows.size()][];
        for (int i = 0; i < rows.size(); i++) {
            ids.add(rows.get(i).id());
            data[i] = vectors.get(i).vector();
        }
        DenseVectors result = DenseVectors.of(ids, data, encoder.normalize());
        PartFiles.commit(part, conf, temporary -> VectorParquet.write(temporary, result, conf));
        return List.of(new PartResult(partition, rows.size(), result.dimension(), false)).iterator();
    }

    /**
     * One long that orders texts longest first and then by position: the length (clamped to 2^23 − 1 characters)
     * inverted in the high bits, the position (below 2^40) in the low ones.
     */
    static long sortKey(TextRow row) {
        long length = Math.min(row.text().length(), (1 << 23) - 1);
        if (row.position() >= 1L << 40) throw new IllegalArgumentException("more than 2^40 lines");
        return (((1L << 23) - 1 - length) << 40) | row.position();
    }
}
