package dev.ranker4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ranker4j.files.AtomicFiles;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The output directory of {@code train} and what a run leaves in it, so that a run never silently destroys or mixes
 * with an earlier one:
 * <ul>
 *   <li>a new run refuses a directory that already holds anything, unless {@code --overwrite}, which first deletes
 *       the earlier run's results ({@code checkpoint-N/}, {@code best-checkpoint/}, {@code best-checkpoint.json},
 *       {@code train_log.jsonl}) and keeps every other file;</li>
 *   <li>temporary directories of a checkpoint write that was killed ({@code .checkpoint-N-*}, {@code .replaced-*})
 *       are never valid checkpoints and are removed when a run starts or resumes;</li>
 *   <li>every checkpoint holds the config it was trained with ({@code train_config.json}), and {@code --resume}
 *       refuses a config whose model, objective, data, sampler, optimizer or tokenizer differ from it (the schedule,
 *       evaluation and output may change; a checkpoint without the file, written before it existed, resumes with
 *       a warning).</li>
 * </ul>
 */
final class TrainOutput {
    static final String CONFIG_FILE = "train_config.json";
    private static final Pattern RESULT = Pattern.compile("checkpoint-\\d+|best-checkpoint|best-checkpoint\\.json|train_log\\.jsonl");
    private static final Pattern TEMPORARY = Pattern.compile("\\.(replaced-)?(checkpoint-\\d+|best-checkpoint)-.*");
    /** Sections that decide what is trained, and how; they must match on resume. */
    private static final List<String> SAME_ON_RESUME = List.of("model", "objective", "data", "sampler", "optimizer", "tokenizer");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path directory;

    TrainOutput(Path directory) {
        this.directory = directory;
    }

    Path path() {
        return directory;
    }

    /** Refuses a directory holding anything, unless {@code overwrite} (then only checks nothing it deletes is an input). */
    void requireFreshOrOverwrite(boolean overwrite, TrainConfig root) {
        List<Path> entries = entries();
        if (entries.isEmpty()) return;
        if (Files.exists(directory) && !Files.isDirectory(directory)) {
            throw root.error("output", "is " + directory + ", a file, not a directory");
        }
        if (!overwrite) {
            Path latest = latestCheckpoint(entries);
            throw root.error("output", "is " + directory + ", which already holds " + describe(entries) + ": "
                    + (latest == null ? "" : "continue that run with --resume " + latest + ", ")
                    + "choose another output, or pass --overwrite to delete the earlier run's checkpoints and log");
        }
        List<Path> deleted = entries.stream().filter(TrainOutput::isResultOrTemporary).toList();
        inputsInside(root, root.json(), "", deleted);
    }

    /** With {@code overwrite}, deletes the earlier run's results; reports what went on {@code log}. */
    void start(boolean overwrite, PrintWriter log) throws IOException {
        if (!overwrite) return;
        List<Path> deleted = entries().stream().filter(TrainOutput::isResultOrTemporary).toList();
        for (Path entry : deleted) deleteTree(entry);
        if (!deleted.isEmpty()) {
            log.println("train: --overwrite: deleted " + describe(deleted) + " in " + directory);
            log.flush();
        }
    }

    /** A resumed run continues in this directory: {@code checkpoint} lies in it, or it is still empty. */
    void requireResumable(Path checkpoint) {
        List<Path> entries = entries();
        if (entries.isEmpty()) return;
        try {
            Path parent = checkpoint.toAbsolutePath().normalize().getParent();
            if (parent != null && Files.isSameFile(parent, directory)) return;
        } catch (IOException e) {
            // not the same directory
        }
        throw new IllegalArgumentException("--resume " + checkpoint + " is not a checkpoint of the output " + directory
                + ", which already holds " + describe(entries) + " (a resumed run continues its own output; give an"
                + " empty output to continue it elsewhere)");
    }

    /** Deletes the temporary directories of killed checkpoint writes. */
    void removeStaleTemporaries(PrintWriter log) throws IOException {
        List<Path> stale = entries().stream().filter(p -> TEMPORARY.matcher(p.getFileName().toString()).matches()).toList();
        for (Path entry : stale) deleteTree(entry);
        if (!stale.isEmpty()) {
            log.println("train: removed " + stale.size() + " temporary director" + (stale.size() == 1 ? "y" : "ies")
                    + " of an interrupted checkpoint write in " + directory + ": " + names(stale));
            log.flush();
        }
    }

    /** Writes the config a checkpoint was trained with into it. */
    static void writeConfig(Path checkpoint, TrainConfig root) throws IOException {
        AtomicFiles.write(checkpoint.resolve(CONFIG_FILE), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root.json()));
    }

    /** Fails unless {@code checkpoint} was trained with the same model, objective, data, sampler and optimizer. */
    static void requireSameRun(Path checkpoint, TrainConfig root, PrintWriter log) throws IOException {
        if (!Files.isDirectory(checkpoint)) throw new IllegalArgumentException("--resume " + checkpoint + ": no such checkpoint directory");
        Path recorded = checkpoint.resolve(CONFIG_FILE);
        if (!Files.isRegularFile(recorded)) {
            // Checkpoints written before the config was recorded still resume (runs in progress must finish).
            log.println("train: --resume " + checkpoint + ": no " + CONFIG_FILE + " in it (an older checkpoint), so "
                    + root.file() + " cannot be checked against the config it was trained with");
            log.flush();
            return;
        }
        JsonNode before;
        try {
            before = JSON.readTree(recorded.toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(recorded + ": not valid JSON: " + e.getOriginalMessage());
        }
        for (String section : SAME_ON_RESUME) {
            String difference = firstDifference(section, before.get(section), root.json().get(section));
            if (difference != null) {
                throw new IllegalArgumentException("--resume " + checkpoint + ": that run was trained with " + difference
                        + " (" + recorded + "); resume with the config it was trained with, or start a new run in"
                        + " another output");
            }
        }
    }

    /** "field: the checkpoint's X, this config's Y" for the first field that differs, or null. */
    private static String firstDifference(String path, JsonNode a, JsonNode b) {
        if (a == null && b == null) return null;
        if (a == null || b == null) {
            return path + " " + (a == null ? "absent" : a.toString()) + ", but this config has "
                    + (b == null ? "none" : b.toString());
        }
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0 ? null
                    : path + " = " + a + ", but this config has " + b;
        }
        if (a.isObject() && b.isObject()) {
            List<String> names = new ArrayList<>();
            a.fieldNames().forEachRemaining(names::add);
            b.fieldNames().forEachRemaining(n -> { if (!a.has(n)) names.add(n); });
            for (String name : names) {
                String d = firstDifference(path + "." + name, a.get(name), b.get(name));
                if (d != null) return d;
            }
            return null;
        }
        return a.equals(b) ? null : path + " = " + a + ", but this config has " + b;
    }

    private List<Path> entries() {
        if (!Files.isDirectory(directory)) return Files.exists(directory) ? List.of(directory) : List.of();
        try (Stream<Path> list = Files.list(directory)) {
            return list.sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory + ": " + e.getMessage(), e);
        }
    }

    private static boolean isResultOrTemporary(Path entry) {
        String name = entry.getFileName().toString();
        return RESULT.matcher(name).matches() || TEMPORARY.matcher(name).matches();
    }

    private static Path latestCheckpoint(List<Path> entries) {
        return entries.stream().filter(p -> p.getFileName().toString().matches("checkpoint-\\d{1,18}") && Files.isDirectory(p))
                .max(Comparator.comparingLong(p -> Long.parseLong(p.getFileName().toString().substring("checkpoint-".length()))))
                .orElse(null);
    }

    private static String describe(List<Path> entries) {
        return entries.size() + " entr" + (entries.size() == 1 ? "y" : "ies") + " (" + names(entries) + ")";
    }

    private static String names(List<Path> entries) {
        List<String> names = entries.stream().map(p -> p.getFileName().toString()).toList();
        return names.size() <= 6 ? String.join(", ", names) : String.join(", ", names.subList(0, 6)) + ", ...";
    }

    /** Fails when a path-valued field of the config lies inside one of {@code deleted}. */
    private static void inputsInside(TrainConfig root, JsonNode node, String field, List<Path> deleted) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                if (!e.getKey().equals("output")) inputsInside(root, e.getValue(), field.isEmpty() ? e.getKey() : field + "." + e.getKey(), deleted);
            }
        } else if (node.isTextual()) {
            Path input;
            try {
                input = Path.of(node.textValue());
                if (!Files.exists(input)) return;
                input = input.toRealPath();
            } catch (InvalidPathException | IOException e) {
                return;
            }
            for (Path doomed : deleted) {
                try {
                    if (input.startsWith(doomed.toRealPath())) {
                        throw root.error(field, "(" + node.textValue() + ") lies in " + doomed + ", which --overwrite would delete");
                    }
                } catch (IOException e) {
                    // gone meanwhile: nothing to protect
                }
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) return;
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
