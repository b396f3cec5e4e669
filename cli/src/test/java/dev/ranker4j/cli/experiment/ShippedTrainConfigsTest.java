package dev.ranker4j.cli.experiment;

import dev.ranker4j.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every train config the repository ships, examples/*.json and the "train" section of every experiment variant
 * (extends merged, variables substituted, as the driver writes it), passes the strict schema ({@code train --check});
 * every step a variant needs is a step of steps.json, and every variant a report names is a config of its experiment.
 */
class ShippedTrainConfigsTest {
    private static final Path REPO = Path.of("").toAbsolutePath().getParent();

    @TempDir
    Path dir;

    private static String check(Path config) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        var cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute("train", config.toString(), "--check");
        return exit == 0 ? null : err.toString().strip();
    }

    @Test
    void examplesPassTheSchema() throws Exception {
        List<String> failures = new ArrayList<>();
        try (Stream<Path> files = Files.list(REPO.resolve("examples"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                String failure = check(file);
                if (failure != null) failures.add(failure);
            }
        }
        assertEquals(List.of(), failures);
    }

    @Test
    void everyExperimentVariantPassesTheSchema() throws Exception {
        ExperimentLayout layout = ExperimentLayout.load(REPO.resolve("experiments"));
        List<String> failures = new ArrayList<>();
        int checked = 0;
        try (Stream<Path> files = Files.walk(REPO.resolve("experiments"), 2)) {
            for (Path file : files.filter(f -> f.getFileName().toString().matches("[a-z]-.*\\.json")).sorted().toList()) {
                Variant variant = Variant.load(layout, file, Variant.seeds(Variant.readMerged(file, new java.util.HashSet<>()), file).getFirst());
                if (variant.train() == null) continue;
                Path config = dir.resolve(variant.experiment() + "-" + variant.variant() + ".json");
                Files.writeString(config, ExperimentLayout.JSON.writeValueAsString(variant.train()));
                String failure = check(config);
                if (failure != null) failures.add(failure);
                checked++;
            }
        }
        assertTrue(checked >= 15, "variants with a train section: " + checked);
        assertEquals(List.of(), failures);
    }

    @Test
    void needsAndReportsNameWhatExists() throws Exception {
        Path root = REPO.resolve("experiments");
        ExperimentLayout layout = ExperimentLayout.load(root);
        Steps steps = new Steps(layout);
        List<String> failures = new ArrayList<>();
        int reports = 0;
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path experiment : dirs.filter(d -> d.getFileName().toString().matches("E\\d+")).sorted().toList()) {
                java.util.Set<String> variants = new java.util.HashSet<>();
                for (Path file : layout.variantConfigs(experiment.getFileName().toString())) {
                    var raw = Variant.readMerged(file, new java.util.HashSet<>());
                    variants.add(Variant.text(raw, "variant", file));
                    for (var need : raw.path("needs")) {
                        try {
                            steps.outputs(need.asText());
                        } catch (IllegalArgumentException e) {
                            failures.add(file + ": " + e.getMessage());
                        }
                    }
                }
                Path report = experiment.resolve("report.json");
                if (!Files.exists(report)) continue;
                reports++;
                var tree = ExperimentLayout.read(report);
                List<String> named = new ArrayList<>();
                tree.path("rows").forEach(r -> named.add(r.asText()));
                tree.path("compare").forEach(pair -> pair.forEach(v -> named.add(v.asText())));
                for (String variant : named) {
                    if (!variants.contains(variant)) failures.add(report + ": names variant '" + variant + "', which has no config");
                }
            }
        }
        assertTrue(reports >= 4, "experiments with a report: " + reports);
        assertEquals(List.of(), failures);
    }
}
