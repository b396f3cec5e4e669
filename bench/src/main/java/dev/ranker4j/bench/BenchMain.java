package dev.ranker4j.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ranker4j bench ...}: benchmarks that print one JSON line per measurement. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks; each prints machine-readable JSON lines.",
        subcommands = {CommandLine.HelpCommand.class, TokenizeBench.class, GemmBench.class, ForwardBench.class,
                EncodeCorpusBench.class, TrainStepBench.class, SearchBench.class, ApiBench.class,
                ServeBench.class})
public final class BenchMain implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(dev.ranker4j.cli.Main.reportErrorsInOneLine(new CommandLine(new BenchMain())).execute(args));
    }
}
