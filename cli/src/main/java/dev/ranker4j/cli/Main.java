package dev.ranker4j.cli;

import dev.ranker4j.cli.experiment.ExperimentCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ranker4j} command: each subcommand is a class of its own in this package. */
@Command(name = "ranker4j", mixinStandardHelpOptions = true, version = "ranker4j 0.1.0-SNAPSHOT",
        description = "Train and serve neural text rankers on the JVM.",
        subcommands = {CommandLine.HelpCommand.class, TokenizeCommand.class, EvalCommand.class, ConvertCommand.class,
                ImportOnnxCommand.class, EncodeCommand.class, IndexCommand.class, SearchCommand.class,
                RerankCommand.class, MineNegativesCommand.class, SplitQrelsCommand.class, FuseCommand.class,
                TrainCommand.class, QuickstartCommand.class, ExperimentCommand.class, ServeCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line; tests drive it in-process. */
    public static CommandLine commandLine() {
        return reportErrorsInOneLine(new CommandLine(new Main()));
    }

    /**
     * Makes {@code cli} print a failing command's exception as one line, {@code <command>: <message>}, and exit 1
     * instead of printing a stack trace; RANKER4J_DEBUG=1 shows the trace. The bench command line uses it too.
     */
    public static CommandLine reportErrorsInOneLine(CommandLine cli) {
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (System.getenv("RANKER4J_DEBUG") != null) ex.printStackTrace();
            commandLine.getErr().println(commandLine.getCommandSpec().qualifiedName() + ": " + ex.getMessage());
            return 1;
        });
        return cli;
    }
}
