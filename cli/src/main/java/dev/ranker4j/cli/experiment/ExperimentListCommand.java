package dev.ranker4j.cli.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code ranker4j experiment list E1}: the experiment's runs whose result JSON is missing, as "CONFIG SEED" lines. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "Print the runs of an experiment that have no result yet, one 'CONFIG SEED' line each (--all: every run).")
final class ExperimentListCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "EXPERIMENT", description = "E1, E2, ...: a directory of experiments/.")
    String experiment;

    @Option(names = "--all", description = "Also list finished runs.")
    boolean all;

    @Option(names = "--experiments", defaultValue = "experiments", paramLabel = "DIR",
            description = "The experiments directory (default: ${DEFAULT-VALUE}).")
    Path root;

    @Override
    public Integer call() throws Exception {
        ExperimentLayout layout = ExperimentLayout.load(root);
        for (Path config : layout.variantConfigs(experiment)) {
            JsonNode raw = ExperimentLayout.read(config);
            String variant = Variant.text(raw, "variant", config);
            for (long seed : Variant.seeds(raw, config)) {
                Path result = layout.results(experiment).resolve(variant + "-s" + seed + ".json");
                if (all || !Files.exists(result)) spec.commandLine().getOut().println(config + " " + seed);
            }
        }
        spec.commandLine().getOut().flush();
        return 0;
    }
}
