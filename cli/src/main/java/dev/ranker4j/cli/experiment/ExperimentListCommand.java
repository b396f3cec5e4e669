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
        // Seed-major: every variant's first seed before any second seed, so a partial experiment compares them all.
        java.util.List<Path> configs = layout.variantConfigs(experiment);
        java.util.List<java.util.List<Long>> seeds = new java.util.ArrayList<>();
        java.util.List<String> variants = new java.util.ArrayList<>();
        int rounds = 0;
        for (Path config : configs) {
            JsonNode raw = Variant.readMerged(config, new java.util.HashSet<>());
            variants.add(Variant.text(raw, "variant", config));
            seeds.add(Variant.seeds(raw, config));
            rounds = Math.max(rounds, seeds.getLast().size());
        }
        for (int round = 0; round < rounds; round++) {
            for (int i = 0; i < configs.size(); i++) {
                if (round >= seeds.get(i).size()) continue;
                long seed = seeds.get(i).get(round);
                Path result = layout.results(experiment).resolve(variants.get(i) + "-s" + seed + ".json");
                if (all || !Files.exists(result)) spec.commandLine().getOut().println(configs.get(i) + " " + seed);
            }
        }
        spec.commandLine().getOut().flush();
        return 0;
    }
}
