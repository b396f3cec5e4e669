package dev.ranker4j.training.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ranker4j.files.AtomicFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keeps the checkpoint that scored best on one metric (higher is better): wraps an {@link EvaluationHook}, and
 * whenever {@code metric} beats the best so far, writes the trainer's checkpoint to {@code OUTPUT/best-checkpoint/}
 * (atomically, replacing the previous best) and then records {@code {"step", "metric", "value"}} in
 * {@code OUTPUT/best-checkpoint.json}. The record is read back on start, so a resumed run keeps comparing against
 * the best of its earlier part. Adds {@code best_<metric>} to the metrics it returns.
 */
public final class BestCheckpoint implements EvaluationHook {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Writes a checkpoint to a directory (the trainer's {@link Trainer#saveCheckpoint(Path)}). */
    @FunctionalInterface
    public interface CheckpointWriter {
        void write(Path directory) throws IOException;
    }

    private final EvaluationHook evaluation;
    private final String metric;
    private final Path directory;
    private final Path record;
    private final CheckpointWriter writer;
    private double best = Double.NEGATIVE_INFINITY;

    public BestCheckpoint(EvaluationHook evaluation, String metric, Path outputDirectory, CheckpointWriter writer) {
        this.evaluation = evaluation;
        this.metric = metric;
        this.directory = outputDirectory.resolve("best-checkpoint");
        this.record = outputDirectory.resolve("best-checkpoint.json");
        this.writer = writer;
        if (Files.isRegularFile(record)) {
            try {
                JsonNode saved = JSON.readTree(record.toFile());
                if (saved.path("metric").asText().equals(metric)) best = saved.path("value").asDouble();
            } catch (IOException e) {
                throw new UncheckedIOException(record + ": cannot read the best checkpoint's record: " + e.getMessage(), e);
            }
        }
    }

    /** The best value so far (−∞ before the first evaluation). */
    public double best() {
        return best;
    }

    @Override
    public Map<String, Double> evaluate(long step) {
        Map<String, Double> metrics = new LinkedHashMap<>(evaluation.evaluate(step));
        Double value = metrics.get(metric);
        if (value == null) {
            throw new IllegalArgumentException("keep_best: metric '" + metric + "' is not evaluated; evaluated: " + metrics.keySet());
        }
        if (value > best) {
            try {
                writer.write(directory);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + directory + ": " + e.getMessage(), e);
            }
            best = value;
            AtomicFiles.writeTextUnchecked(record, out -> out.write(JSON.writeValueAsString(JSON.createObjectNode()
                    .put("step", step).put("metric", metric).put("value", value)) + "\n"));
        }
        metrics.put("best_" + metric, best);
        return metrics;
    }
}
