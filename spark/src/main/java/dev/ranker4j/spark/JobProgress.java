package dev.ranker4j.spark;

import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Progress of a job's model work on standard error, from Spark's own events: a {@link SparkListener} reads the job's
 * named accumulator (texts encoded, pairs scored; also shown per stage and task in Spark's UI) whenever a task ends and
 * prints {@code spark encode: 2048/5183 texts (39.5%), 35.2 texts/s, 3 tasks done} at most once a second, and a last
 * line when closed.
 */
final class JobProgress extends SparkListener implements AutoCloseable {
    private final SparkSession spark;
    private final String task;
    private final String unit;
    private final long total;
    private final LongAccumulator done;
    private final PrintStream out;
    private final long start = System.nanoTime();
    private long lastPrint;
    private long lastValue = -1;
    private int tasks;

    private JobProgress(SparkSession spark, String task, String unit, long total, LongAccumulator done, PrintStream out) {
        this.spark = spark;
        this.task = task;
        this.unit = unit;
        this.total = total;
        this.done = done;
        this.out = out;
    }

    /** Registers a listener for {@code accumulator}, counting towards {@code total} (0: unknown). */
    static JobProgress start(SparkSession spark, String task, String unit, long total, LongAccumulator accumulator,
                             boolean quiet) {
        JobProgress progress = new JobProgress(spark, task, unit, total, accumulator, quiet ? null : System.err);
        spark.sparkContext().addSparkListener(progress);
        return progress;
    }

    @Override
    public synchronized void onTaskEnd(SparkListenerTaskEnd taskEnd) {
        tasks++;
        long now = System.nanoTime();
        if (now - lastPrint < 1_000_000_000L) return;
        print(now);
    }

    private void print(long now) {
        long value = done.value();
        if (value == lastValue || out == null) return;
        lastValue = value;
        lastPrint = now;
        double seconds = Math.max(1e-9, (now - start) / 1e9);
        String of = total > 0 ? String.format(Locale.ROOT, "/%d %s (%.1f%%)", total, unit, 100.0 * value / total)
                : " " + unit;
        out.printf(Locale.ROOT, "%s: %d%s, %.1f %s/s, %d tasks done%n", task, value, of, value / seconds, unit, tasks);
    }

    @Override
    public synchronized void close() {
        print(System.nanoTime());
        spark.sparkContext().removeSparkListener(this);
    }
}
