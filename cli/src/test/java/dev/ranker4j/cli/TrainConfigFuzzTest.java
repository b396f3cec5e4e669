package dev.ranker4j.cli;

import dev.ranker4j.testkit.Fuzz;
import dev.ranker4j.testkit.Mutation;
import net.jqwik.api.Example;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Train configs under random mutations (testkit {@link Fuzz}): read as {@code train} reads them before anything is
 * loaded (the schema of the objective, data format and optimizer, every value's type and range, inline model
 * configs), a mutated config reads the same, is refused with a {@link TrainConfigException} naming the file (and the
 * field), or is another valid config. Never another exception or a hang.
 */
class TrainConfigFuzzTest {
    private static final Path REPO = Path.of("").toAbsolutePath().getParent();

    private final Path dir = Fuzz.temporaryDirectory("ranker4j-fuzz-train-config-");

    /** The config's JSON, after the checks; and every inline model config, built. */
    private static String read(Path file) throws Exception {
        TrainConfig root = TrainConfig.read(file);
        List<String> configs = new ArrayList<>();
        TrainConfig model = root.section("model");
        List<TrainConfig> sections = new ArrayList<>(List.of(model));
        model.json().fieldNames().forEachRemaining(role -> {
            if (model.json().get(role).isObject() && !role.equals("config")) sections.add(model.section(role));
        });
        for (TrainConfig section : sections) {
            if (section.has("config") && section.raw("config").isObject()) configs.add(TrainModels.randomInitConfig(section).toString());
        }
        return root.json().toString() + configs;
    }

    @Example
    void trainConfigs() throws Exception {
        for (String example : List.of("lce-cross-encoder.json", "ranker-distillation.json", "tas-balanced-mined.json")) {
            byte[] original = Files.readAllBytes(REPO.resolve("examples").resolve(example));
            Path file = dir.resolve(example);
            Fuzz.requireClean(Fuzz.run("train-config " + example, file, original, Mutation.anywhere(original.length),
                    TrainConfigFuzzTest::read, (before, after, m) -> null, TrainConfigException.class));
        }
    }
}
