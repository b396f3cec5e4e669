package dev.ranker4j.spark;

import org.apache.spark.sql.SparkSession;

/**
 * One local[2] Spark session for all the test classes of this module (starting one takes seconds): created on first
 * use, stopped when the test JVM exits. Bound to the loopback interface, no UI.
 */
final class LocalSpark {
    private LocalSpark() {}

    private static SparkSession session;

    static synchronized SparkSession session() {
        if (session == null) {
            session = SparkSession.builder().master("local[2]").appName("ranker4j spark tests")
                    .config("spark.ui.enabled", "false").config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.driver.host", "127.0.0.1").config("spark.sql.shuffle.partitions", "4")
                    .getOrCreate();
            SparkSession started = session;
            Runtime.getRuntime().addShutdownHook(new Thread(started::stop, "stop-spark"));
        }
        return session;
    }
}
