package dev.ranker4j.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code ranker4j spark encode}: a corpus to Parquet (id, vector), resumable by partition. */
@Command(name = "encode", mixinStandardHelpOptions = true,
        description = {"Encode a corpus (or queries) with a dual encoder into a directory of Parquet files of (id, vector),"
                + " one per partition: the vectors of ranker4j encode, bit for bit.",
                "Documents are encoded as title + \" \" + text. Rerun the same command to resume: finished partitions"
                        + " are skipped."})
final class SparkEncodeCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR|ORG/NAME",
            description = "A sentence-transformers or Hugging Face BERT directory readable on every executor.")
    String model;

    @Option(names = "--input", required = true, paramLabel = "FILE",
            description = "BEIR corpus.jsonl[.gz] / queries.jsonl, or MS MARCO TSV (id TAB text); any Hadoop path.")
    String input;

    @Option(names = "--kind", defaultValue = "documents", paramLabel = "KIND",
            description = "What --input holds: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    TextInputs.Kind kind;

    @Option(names = "--output", required = true, paramLabel = "DIR", description = "The Parquet directory to write.")
    String output;

    @Option(names = "--max-length", defaultValue = "256", description = "Tokens per text (default: ${DEFAULT-VALUE}).")
    int maxLength;

    @Option(names = "--batch-size", defaultValue = "32", description = "Texts per forward pass (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--normalize", description = "L2-normalise the vectors.")
    boolean normalize;

    @Option(names = "--partitions", defaultValue = "0",
            description = "Output partitions (default: 4 per task slot, or what a rerun's output says).")
    int partitions;

    @Mixin
    SparkOptions sparkOptions;

    @Override
    public Integer call() {
        SparkSession spark = sparkOptions.session("encode");
        EncodeJob.Result result = EncodeJob.run(spark, new EncodeJob.Settings(input, kind, output, model, maxLength,
                batchSize, normalize, partitions, sparkOptions.threadsPerTask, sparkOptions.quiet));
        spec.commandLine().getOut().printf(Locale.ROOT,
                "{\"output\":%s,\"count\":%d,\"dim\":%d,\"partitions\":%d,\"encoded_partitions\":%d,\"encoded\":%d,"
                        + "\"normalized\":%b,\"encode_s\":%.3f,\"docs_per_s\":%.2f,\"master\":%s}%n",
                quote(output), result.count(), result.dimension(), result.partitions(), result.encodedPartitions(),
                result.encodedTexts(), normalize, result.seconds(), result.encodedTexts() / result.seconds(),
                quote(spark.sparkContext().master()));
        spec.commandLine().getOut().flush();
        return 0;
    }

    static String quote(String text) {
        try {
            return JSON.writeValueAsString(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
