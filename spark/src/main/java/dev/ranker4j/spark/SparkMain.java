package dev.ranker4j.spark;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code ranker4j spark encode|index|search|rerank}: the single-machine commands' work as Spark jobs. The main class
 * for {@code spark-submit} and for {@code ./ranker4j spark}, which adds this module's class path (Spark included) for
 * that subcommand only (docs/SCALE.md).
 */
@Command(name = "spark", mixinStandardHelpOptions = true, version = "ranker4j 0.1.0-SNAPSHOT",
        description = {"Encode, index, search and re-rank a corpus as Apache Spark jobs (docs/SCALE.md).",
                "Run with spark-submit --class dev.ranker4j.spark.SparkMain, or ./ranker4j spark ... --master local[N]."},
        subcommands = {CommandLine.HelpCommand.class, SparkEncodeCommand.class, SparkIndexCommand.class,
                SparkSearchCommand.class, SparkRerankCommand.class})
public final class SparkMain implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        if (System.getenv("RANKER4J_DEBUG") == null) quietSparkLogs();
        int status = commandLine().execute(args);
        // spark-submit waits for main to return; System.exit would cut its own shutdown short.
        if (status != 0) System.exit(status);
    }

    /** The configured command line; tests drive it in-process. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new SparkMain());
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (System.getenv("RANKER4J_DEBUG") != null) ex.printStackTrace();
            commandLine.getErr().println(commandLine.getCommandSpec().qualifiedName() + ": " + rootMessage(ex));
            return 1;
        });
        return cli;
    }

    /**
     * The message of the exception a task threw: Spark wraps it in a SparkException whose message is a page of
     * stage and task details.
     */
    static String rootMessage(Throwable e) {
        Throwable cause = e;
        while (cause.getClass().getName().startsWith("org.apache.spark") && cause.getCause() != null) {
            cause = cause.getCause();
        }
        String message = cause.getMessage();
        return message == null ? cause.getClass().getSimpleName() : message.lines().findFirst().orElse(message);
    }

    /**
     * Spark logs INFO lines by default; the commands print their own progress, so unless a log4j2 configuration is
     * given (or RANKER4J_DEBUG is set) only warnings are shown.
     */
    private static void quietSparkLogs() {
        if (System.getProperty("log4j2.configurationFile") != null || System.getProperty("log4j.configurationFile") != null) {
            return;
        }
        var config = SparkMain.class.getResource("log4j2-warnings.properties");
        if (config != null) System.setProperty("log4j2.configurationFile", config.toString());
    }
}
