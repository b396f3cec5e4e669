package dev.ranker4j.cli.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ranker4j.files.AtomicFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a run has done so far, in {@code RUN/experiment-state.json}: the wall-clock parts of each stage (a run killed
 * and resumed has several), whether training finished, and the largest resident set seen. A part that never ended
 * (the process was killed) is closed at the last time the run's training log was written, so its time still counts.
 */
final class RunState {
    private final Path file;
    private final ObjectNode state;

    private RunState(Path file, ObjectNode state) {
        this.file = file;
        this.state = state;
    }

    static RunState load(Path runDirectory) throws IOException {
        Path file = runDirectory.resolve("experiment-state.json");
        ObjectNode state = Files.isRegularFile(file) ? (ObjectNode) ExperimentLayout.read(file)
                : ExperimentLayout.JSON.createObjectNode();
        if (!state.has("parts")) state.putArray("parts");
        RunState loaded = new RunState(file, state);
        Path log = runDirectory.resolve("train_log.jsonl");
        for (JsonNode part : state.get("parts")) {
            if (part.get("end").isNull()) {
                long lastWrite = Files.isRegularFile(log) ? Files.getLastModifiedTime(log).toMillis() : part.get("start").asLong();
                ((ObjectNode) part).put("end", Math.max(lastWrite, part.get("start").asLong())).put("interrupted", true);
            }
        }
        return loaded;
    }

    /** Opens a part of {@code stage} and saves the state (a kill from now on leaves it open). */
    ObjectNode begin(String stage) {
        ObjectNode part = ((ArrayNode) state.get("parts")).addObject().put("stage", stage)
                .put("start", System.currentTimeMillis()).putNull("end");
        save();
        return part;
    }

    void end(ObjectNode part) {
        part.put("end", System.currentTimeMillis());
        state.put("peak_rss_kb", Math.max(state.path("peak_rss_kb").asLong(0), peakRssKb()));
        save();
    }

    /** Records how long a test-time command took (the last time it ran). */
    void recordStep(Step step, double seconds) {
        ObjectNode timed = state.has("steps") ? (ObjectNode) state.get("steps") : state.putObject("steps");
        ObjectNode entry = timed.putObject(step.name());
        entry.put("seconds", seconds).put("command", String.join(" ", step.args()));
        var outputs = entry.putArray("outputs");
        step.outputs().forEach(o -> outputs.add(o.toString()));
        save();
    }

    JsonNode steps() {
        return state.path("steps");
    }

    boolean trainDone() {
        return state.path("train_done").asBoolean(false);
    }

    void markTrainDone() {
        state.put("train_done", true);
        save();
    }

    double seconds(String stage) {
        double total = 0;
        for (JsonNode part : state.get("parts")) {
            if (part.get("stage").asText().equals(stage)) total += (part.get("end").asLong() - part.get("start").asLong()) / 1000.0;
        }
        return total;
    }

    int parts(String stage) {
        int n = 0;
        for (JsonNode part : state.get("parts")) if (part.get("stage").asText().equals(stage)) n++;
        return n;
    }

    int interruptedParts() {
        int n = 0;
        for (JsonNode part : state.get("parts")) if (part.path("interrupted").asBoolean(false)) n++;
        return n;
    }

    long peakRssKb() {
        long now = 0;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) now = Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        } catch (IOException | NumberFormatException e) {
            now = 0; // not Linux: no figure
        }
        return Math.max(now, state.path("peak_rss_kb").asLong(0));
    }

    private void save() {
        AtomicFiles.writeTextUnchecked(file, out -> out.write(ExperimentLayout.JSON.writerWithDefaultPrettyPrinter()
                .writeValueAsString(state) + "\n"));
    }
}
