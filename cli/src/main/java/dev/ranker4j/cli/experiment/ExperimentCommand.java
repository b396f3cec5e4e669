package dev.ranker4j.cli.experiment;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code ranker4j experiment}: the driver of the experiments under {@code experiments/} (docs/RESULTS.md). A variant
 * config describes a training run and its test evaluation; each of its seeds is one run, with one result JSON.
 */
@Command(name = "experiment", mixinStandardHelpOptions = true,
        description = {"Run the experiments of experiments/ (docs/RESULTS.md) and report them:",
                "  list E1            the runs of E1 not finished yet, one 'CONFIG SEED' line each",
                "  run CONFIG --seed N  one run: preparation steps, training (resumed when interrupted), test evaluation,"
                        + " result JSON",
                "  report E1          tables (mean +- sd over seeds, paired tests) and learning curves"},
        subcommands = {ExperimentListCommand.class, ExperimentRunCommand.class, ExperimentReportCommand.class})
public final class ExperimentCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
