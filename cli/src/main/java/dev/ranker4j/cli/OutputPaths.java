package dev.ranker4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every command's outputs are checked against its inputs before anything is computed: an output that is the same
 * file as an input (the same path, or a link to it) would be replaced by the command's result, so the command
 * refuses, naming both options, and the input stays as it was. An output that is an existing directory is refused
 * too (a file cannot replace it). Build one per command with its inputs, then check each output.
 */
final class OutputPaths {
    private final Map<String, Path> inputs = new LinkedHashMap<>();

    /** Adds an input; a null path (an option not given) is skipped. */
    OutputPaths input(String option, Path path) {
        if (path != null) inputs.put(option + " " + path, path);
        return this;
    }

    /** Fails when {@code output} (the value of {@code option}) is one of the inputs or an existing directory. */
    OutputPaths file(String option, Path output) {
        for (Map.Entry<String, Path> input : inputs.entrySet()) {
            if (same(output, input.getValue())) {
                throw new IllegalArgumentException(option + " " + output + " is the input " + input.getKey()
                        + ": writing it would destroy the input (choose another output file)");
            }
        }
        if (Files.isDirectory(output)) {
            throw new IllegalArgumentException(option + " " + output + " is a directory; give the file to write");
        }
        return this;
    }

    /**
     * Fails when the directory {@code output} (the value of {@code option}, replaced as a whole) is or contains one
     * of the inputs.
     */
    OutputPaths directory(String option, Path output) {
        for (Map.Entry<String, Path> input : inputs.entrySet()) {
            if (same(output, input.getValue()) || inside(input.getValue(), output)) {
                throw new IllegalArgumentException(option + " " + output + " holds the input " + input.getKey()
                        + ", which replacing it would destroy (choose another output directory)");
            }
        }
        return this;
    }

    /** Whether two paths name the same file: equal once absolute and normalized, or (when both exist) the same file. */
    static boolean same(Path a, Path b) {
        if (a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize())) return true;
        try {
            return Files.exists(a) && Files.exists(b) && Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean inside(Path file, Path directory) {
        try {
            Path real = file.toRealPath();
            return Files.isDirectory(directory) && real.startsWith(directory.toRealPath());
        } catch (IOException e) {
            return file.toAbsolutePath().normalize().startsWith(directory.toAbsolutePath().normalize());
        }
    }
}
