package dev.ranker4j.cli.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ranker4j.cli.Main;
import dev.ranker4j.files.AtomicFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code ranker4j experiment run CONFIG --seed N}: one run of a variant. Skipped when its result JSON exists;
 * otherwise runs the steps it needs, trains (resuming from the newest complete checkpoint when an earlier attempt was
 * interrupted; with {@code --overwrite} when there is none, since the run directory already holds the driver's own
 * files and maybe the log of an attempt killed before its first checkpoint), runs the test-time commands and writes
 * the result JSON ({@link RunResult}).
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "One run: needed steps, training (resumed after an interruption), test evaluation, result JSON.")
final class ExperimentRunCommand implements Callable<Integer> {
    private static final Pattern CHECKPOINT = Pattern.compile("checkpoint-(\\d+)");

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CONFIG", description = "A variant config, e.g. experiments/E1/b-lce-g8.json.")
    Path config;

    @Option(names = "--seed", required = true, description = "Which of the config's seeds to run.")
    long seed;

    @Option(names = "--update", description = "Also for a finished run: run the test-time commands whose outputs are "
            + "missing (e.g. a first stage added to the config later) and write its result JSON again.")
    boolean update;

    @Option(names = "--interrupt-after", paramLabel = "STEP", hidden = true,
            description = "Testing: stop training after this step, as a kill would, leaving the run to be resumed.")
    Long interruptAfter;

    @Option(names = "--reproduce", description = "Run again from scratch beside the committed result: the run works in"
            + " ${work}-reproduce/ and writes its result there, then prints each test metric next to the committed one.")
    boolean reproduce;

    @Option(names = "--only", split = ",", paramLabel = "NAME", description = "Only these test runs of the config's "
            + "evaluate.runs (e.g. \"dense top-100\"), and only the commands and steps they need; with --reproduce, "
            + "one figure is checked without computing the others.")
    java.util.Set<String> only;

    @Option(names = "--experiments", defaultValue = "experiments", paramLabel = "DIR",
            description = "The experiments directory (default: ${DEFAULT-VALUE}).")
    Path root;

    @Override
    public Integer call() throws Exception {
        PrintWriter log = spec.commandLine().getOut();
        ExperimentLayout committed = ExperimentLayout.load(root);
        ExperimentLayout layout = reproduce ? committed.reproducing() : committed;
        Steps steps = new Steps(layout);
        Variant variant = Variant.load(layout, config, seed);
        if (only != null) {
            // A committed result covers every test run of its config; a narrowed one only stands beside it.
            if (!reproduce) throw new IllegalArgumentException("--only needs --reproduce: " + variant.resultFile(layout)
                    + " holds every test run of " + config);
            variant = variant.only(only, steps);
        }
        Path result = reproduce ? layout.work().resolve("results").resolve(variant.experiment()).resolve(variant.resultFile(committed).getFileName())
                : variant.resultFile(layout);
        if (Files.exists(result) && !update) {
            log.println("[experiment] " + variant.variant() + " seed " + seed + ": done (" + result + ")");
            return 0;
        }
        steps.ensure(variant.needs(), log);
        Files.createDirectories(variant.runDirectory());
        RunState state = RunState.load(variant.runDirectory());
        if (variant.train() != null && !state.trainDone()) {
            train(variant, state, log);
            if (!state.trainDone()) return 0; // interrupted on purpose (--interrupt-after)
        }
        ObjectNode part = state.begin("test");
        for (Step step : variant.after()) {
            double seconds = step.run(log);
            if (seconds >= 0) state.recordStep(step, seconds);
        }
        state.end(part);
        ObjectNode json = new RunResult(layout, variant, state).toJson();
        Files.createDirectories(result.getParent());
        AtomicFiles.writeTextUnchecked(result, out -> out.write(ExperimentLayout.JSON.writerWithDefaultPrettyPrinter()
                .writeValueAsString(json) + "\n"));
        log.println("[experiment] " + variant.variant() + " seed " + seed + ": wrote " + result + " " + summary(json));
        if (reproduce) compare(variant.resultFile(committed), json, log);
        return 0;
    }

    private void train(Variant variant, RunState state, PrintWriter log) throws IOException {
        Path configFile = variant.runDirectory().resolve("train-config.json");
        AtomicFiles.writeTextUnchecked(configFile, out -> out.write(ExperimentLayout.JSON.writerWithDefaultPrettyPrinter()
                .writeValueAsString(variant.train()) + "\n"));
        List<String> args = new ArrayList<>(List.of("train", configFile.toString(), "--no-progress"));
        Path latest = latestCheckpoint(variant.runDirectory());
        // The run directory is the driver's: without a checkpoint to resume, what an earlier attempt left (a log
        // of steps before its first checkpoint) is overwritten; the driver's own files there are kept.
        if (latest != null) args.addAll(List.of("--resume", latest.toString()));
        else args.add("--overwrite");
        if (interruptAfter != null) args.addAll(List.of("--until", interruptAfter.toString()));
        log.println("[experiment] " + variant.variant() + " seed " + variant.seed() + ": ranker4j " + String.join(" ", args)
                + " (" + Instant.now() + ")");
        ObjectNode part = state.begin("train");
        int exit = Main.commandLine().execute(args.toArray(String[]::new));
        if (exit != 0) throw new IllegalStateException("training failed (exit " + exit + "); see " + variant.runDirectory());
        state.end(part);
        if (interruptAfter != null) return;
        state.markTrainDone();
        // What the run evaluates is best-checkpoint/ (or the last checkpoint, kept); the rest only served resuming.
        Path last = latestCheckpoint(variant.runDirectory());
        try (Stream<Path> entries = Files.list(variant.runDirectory())) {
            for (Path entry : entries.toList()) {
                if (CHECKPOINT.matcher(entry.getFileName().toString()).matches() && !entry.equals(last)) deleteTree(entry);
            }
        }
    }

    private static void deleteTree(Path directory) throws IOException {
        try (Stream<Path> walk = Files.walk(directory)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }

    /** The complete checkpoint with the highest step ({@code checkpoint-N}; half-written ones have other names). */
    static Path latestCheckpoint(Path runDirectory) throws IOException {
        Path best = null;
        long bestStep = -1;
        try (Stream<Path> entries = Files.list(runDirectory)) {
            for (Path entry : entries.toList()) {
                var m = CHECKPOINT.matcher(entry.getFileName().toString());
                if (m.matches() && Files.isDirectory(entry) && Long.parseLong(m.group(1)) > bestStep) {
                    bestStep = Long.parseLong(m.group(1));
                    best = entry;
                }
            }
        }
        return best;
    }

    /** Each test metric of the reproduction beside the committed result's. */
    private static void compare(Path committedFile, JsonNode reproduced, PrintWriter log) throws IOException {
        if (!Files.isRegularFile(committedFile)) {
            log.println("[experiment] no committed result " + committedFile + " to compare with");
            return;
        }
        JsonNode committed = ExperimentLayout.read(committedFile);
        reproduced.path("test").properties().forEach(test -> test.getValue().path("metrics").properties().forEach(m -> {
            if (m.getKey().equals("queries")) return;
            JsonNode was = committed.path("test").path(test.getKey()).path("metrics").path(m.getKey());
            log.printf(java.util.Locale.ROOT, "{\"test\":%s,\"metric\":%s,\"committed\":%s,\"reproduced\":%.6f,\"difference\":%s}%n",
                    ExperimentLayout.JSON.valueToTree(test.getKey()), ExperimentLayout.JSON.valueToTree(m.getKey()),
                    was.isMissingNode() ? "null" : String.format(java.util.Locale.ROOT, "%.6f", was.asDouble()), m.getValue().asDouble(),
                    was.isMissingNode() ? "null" : String.format(java.util.Locale.ROOT, "%+.6f", m.getValue().asDouble() - was.asDouble()));
        }));
        log.println("[experiment] committed: git " + committed.path("git_commit").asText() + ", " + committed.at("/machine/cpu").asText()
                + "; reproduced: git " + reproduced.path("git_commit").asText() + ", " + reproduced.at("/machine/cpu").asText()
                + ", " + reproduced.at("/wall_seconds/total").asDouble() / 60 + " min");
    }

    private static String summary(JsonNode json) {
        StringBuilder line = new StringBuilder();
        json.path("test").properties().forEach(e -> line.append(e.getKey()).append(' ')
                .append(e.getValue().path("metrics").toString()).append(' '));
        return line.toString().trim();
    }
}
