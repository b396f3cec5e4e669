package dev.ranker4j.spark;

import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The options every {@code ranker4j spark} job shares, and the session they describe. Under {@code spark-submit}
 * the master and configuration come from there; run directly ({@code ./ranker4j spark ...}), {@code --master}
 * (default {@code local[*]}) starts Spark inside this JVM.
 */
final class SparkOptions {
    @Option(names = "--master", paramLabel = "URL",
            description = "Spark master, e.g. local[2] (default: spark-submit's, else local[*]).")
    String master;

    @Option(names = "--conf", paramLabel = "KEY=VALUE", description = "A Spark setting (repeatable).")
    Map<String, String> conf = new LinkedHashMap<>();

    @Option(names = "--threads-per-task", defaultValue = "0", paramLabel = "N",
            description = "Kernel threads per task (default: spark.task.cpus, i.e. 1; results do not depend on it).")
    int threadsPerTask;

    @Option(names = "--quiet", description = "No progress lines.")
    boolean quiet;

    /** The session: the running one (spark-submit, tests) or a new one with these options. */
    SparkSession session(String job) {
        SparkSession.Builder builder = SparkSession.builder().appName("ranker4j " + job);
        String configured = master != null ? master : System.getProperty("spark.master");
        if (configured == null) configured = "local[*]";
        builder.master(configured);
        if (configured.startsWith("local")) {
            // A local run talks to itself only: bind the driver to the loopback interface.
            builder.config("spark.driver.bindAddress", "127.0.0.1").config("spark.driver.host", "127.0.0.1");
        }
        conf.forEach(builder::config);
        return builder.getOrCreate();
    }
}
