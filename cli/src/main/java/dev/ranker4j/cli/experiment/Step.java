package dev.ranker4j.cli.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ranker4j.cli.Main;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One command of the pipeline, {@code {"outputs": [...], "args": [...], "needs": [...]}}: {@code args} is a ranker4j
 * command line, run in this JVM; it is skipped when every one of its {@code outputs} exists. Every ranker4j command
 * writes its outputs atomically, so an output that exists is complete, and a step killed half-way runs again.
 *
 * @param name    the step's name (a key of steps.json, or where an inline step sits)
 * @param needs   names of steps.json steps to run first
 */
record Step(String name, List<Path> outputs, List<String> args, List<String> needs) {

    static Step parse(String name, JsonNode node, Path file) {
        if (!node.isObject()) throw new IllegalArgumentException(file + ": step '" + name + "' must be an object");
        List<Path> outputs = new ArrayList<>();
        node.path("outputs").forEach(o -> outputs.add(Path.of(o.asText())));
        List<String> args = new ArrayList<>();
        node.path("args").forEach(a -> args.add(a.asText()));
        List<String> needs = new ArrayList<>();
        node.path("needs").forEach(n -> needs.add(n.asText()));
        if (outputs.isEmpty() || args.isEmpty()) {
            throw new IllegalArgumentException(file + ": step '" + name + "' needs non-empty 'outputs' and 'args'");
        }
        return new Step(name, outputs, args, needs);
    }

    boolean done() {
        return outputs.stream().allMatch(Files::exists);
    }

    /**
     * Runs the command unless its outputs exist; fails naming the step when the command fails. Returns the wall
     * seconds it took, or -1 when it was skipped.
     */
    double run(PrintWriter log) {
        if (done()) return -1;
        long start = System.nanoTime();
        log.println("[experiment] step " + name + ": ranker4j " + String.join(" ", args));
        log.flush();
        int exit = Main.commandLine().execute(args.toArray(String[]::new));
        if (exit != 0) throw new IllegalStateException("step '" + name + "' failed (exit " + exit + "): ranker4j "
                + String.join(" ", args));
        for (Path output : outputs) {
            if (!Files.exists(output)) {
                throw new IllegalStateException("step '" + name + "' finished but did not write " + output);
            }
        }
        return (System.nanoTime() - start) / 1e9;
    }
}
