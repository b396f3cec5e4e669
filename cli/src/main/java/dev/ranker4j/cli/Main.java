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
                TrainCommand.class, QuickstartCommand.class, ExperimentCommand.class, ServeCommand.class,
                DoctorCommand.class})
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
            commandLine.getErr().println(commandLine.getCommandSpec().qualifiedName() + ": " + describe(ex));
            commandLine.getErr().flush();
            return 1;
        });
        return cli;
    }

    /**
     * One line for a failure: the exception's message, made whole where the JDK's is only a path ({@code
     * NoSuchFileException}) or missing (then the first message of its causes, or its kind).
     */
    static String describe(Throwable ex) {
        Throwable e = ex instanceof java.io.UncheckedIOException && ex.getCause() != null && ex.getMessage() == null ? ex.getCause() : ex;
        String message = e.getMessage();
        return switch (e) {
            case java.nio.file.NoSuchFileException f -> f.getFile() + ": no such file or directory"
                    + (f.getReason() == null ? "" : " (" + f.getReason() + ")");
            case java.nio.file.AccessDeniedException f -> f.getFile() + ": permission denied";
            case java.nio.file.NotDirectoryException f -> f.getFile() + ": not a directory";
            case java.nio.file.DirectoryNotEmptyException f -> f.getFile() + ": directory not empty";
            case java.nio.file.FileAlreadyExistsException f -> f.getFile() + ": already exists";
            case OutOfMemoryError oom -> "out of memory (" + message + "): give the JVM more heap (RANKER4J_JAVA_OPTS=-Xmx...)"
                    + " or lower --batch-size";
            default -> {
                if (message != null && !message.isBlank()) yield message;
                for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
                    if (cause.getMessage() != null && !cause.getMessage().isBlank()) {
                        yield e.getClass().getSimpleName() + ": " + cause.getMessage();
                    }
                }
                yield e.getClass().getName() + " (no message; RANKER4J_DEBUG=1 shows the stack trace)";
            }
        };
    }
}
