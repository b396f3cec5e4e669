package dev.ranker4j.cli.experiment;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The named preparation steps of {@code experiments/steps.json}, run in dependency order, each at most once. */
final class Steps {
    private final Map<String, Step> steps = new LinkedHashMap<>();
    private final Path file;

    Steps(ExperimentLayout layout) throws IOException {
        this.file = layout.stepsFile();
        JsonNode tree = layout.substitute(ExperimentLayout.read(file), Map.of(), file);
        tree.path("steps").properties().forEach(e -> steps.put(e.getKey(), Step.parse(e.getKey(), e.getValue(), file)));
        for (Step step : steps.values()) {
            for (String need : step.needs()) {
                if (!steps.containsKey(need)) {
                    throw new IllegalArgumentException(file + ": step '" + step.name() + "' needs unknown step '" + need + "'");
                }
            }
        }
    }

    /** What the named step writes. */
    List<Path> outputs(String name) {
        Step step = steps.get(name);
        if (step == null) throw new IllegalArgumentException("unknown step '" + name + "' (steps of " + file + ": " + steps.keySet() + ")");
        return step.outputs();
    }

    /** Runs the named steps and what they need, dependencies first. */
    void ensure(List<String> names, PrintWriter log) {
        Set<String> visiting = new HashSet<>(), finished = new HashSet<>();
        for (String name : names) ensure(name, visiting, finished, log);
    }

    private void ensure(String name, Set<String> visiting, Set<String> finished, PrintWriter log) {
        if (finished.contains(name)) return;
        Step step = steps.get(name);
        if (step == null) throw new IllegalArgumentException("unknown step '" + name + "' (steps of " + file + ": " + steps.keySet() + ")");
        if (!visiting.add(name)) throw new IllegalArgumentException(file + ": steps depend on each other in a cycle through '" + name + "'");
        if (!step.done()) for (String need : step.needs()) ensure(need, visiting, finished, log);
        step.run(log);
        visiting.remove(name);
        finished.add(name);
    }
}
