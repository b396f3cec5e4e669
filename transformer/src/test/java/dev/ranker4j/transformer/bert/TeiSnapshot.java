package dev.ranker4j.transformer.bert;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a text-embeddings-inference test snapshot (insta YAML, as in ../shared/reference/all-MiniLM-L6-v2; other
 * modules use it through this module's test jar): a front matter between {@code ---} lines, then a
 * list of vectors written as {@code - - x} (first element of a new vector) and {@code   - x} (the next ones).
 */
public final class TeiSnapshot {
    private TeiSnapshot() {}

    public static List<float[]> read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        int dashes = 0, start = 0;
        for (int i = 0; i < lines.size() && dashes < 2; i++) {
            if (lines.get(i).equals("---")) {
                dashes++;
                start = i + 1;
            }
        }
        List<float[]> vectors = new ArrayList<>();
        List<Float> current = null;
        for (int i = start; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) continue;
            if (line.startsWith("- - ")) {
                if (current != null) vectors.add(toArray(current));
                current = new ArrayList<>();
                current.add(Float.parseFloat(line.substring(4)));
            } else if (line.startsWith("  - ") && current != null) {
                current.add(Float.parseFloat(line.substring(4)));
            } else {
                throw new IOException(file + ":" + (i + 1) + ": not a snapshot vector line: '" + line + "'");
            }
        }
        if (current != null) vectors.add(toArray(current));
        return vectors;
    }

    private static float[] toArray(List<Float> values) {
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) out[i] = values.get(i);
        return out;
    }
}
