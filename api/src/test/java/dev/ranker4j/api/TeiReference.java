package dev.ranker4j.api;

import dev.ranker4j.testkit.SharedData;
import dev.ranker4j.transformer.bert.TeiSnapshot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * all-MiniLM-L6-v2 and text-embeddings-inference's snapshots of it (../shared/reference/all-MiniLM-L6-v2), for the
 * API's and the server's tests; skipped when ../shared is absent.
 *
 * <p>TEI's candle backend computes BERT's "gelu" with candle's {@code gelu()}, the tanh approximation, while the model's
 * config.json (and Hugging Face transformers) mean the exact erf form. So our vectors with the model as configured
 * differ from the snapshots by about 1e-3, and by under 1e-5 from the batch snapshot once the same approximation is
 * used: {@link #withTanhGelu} is the model with {@code "hidden_act": "gelu_new"} (weights linked, not copied). The
 * single-text snapshot agrees with neither to 1e-5: it differs from the batch snapshot's vector of the same text by
 * 8.1e-4 itself.
 */
public final class TeiReference {
    /** The texts of the batch snapshot, in its order. */
    public static final List<String> BATCH = List.of("What is Deep Learning?", "Deep Learning is...", "What is Deep Learning?");

    private TeiReference() {}

    public static Path model() {
        return SharedData.require("models/all-MiniLM-L6-v2");
    }

    /** The mean-pooled vectors of {@link #BATCH} (test_bert__bert_batch.snap). */
    public static List<float[]> batch() throws IOException {
        return TeiSnapshot.read(SharedData.require("reference/all-MiniLM-L6-v2/test_bert__bert_batch.snap"));
    }

    /** The mean-pooled vector of "What is Deep Learning?" alone (test_bert__bert_single.snap). */
    public static float[] single() throws IOException {
        return TeiSnapshot.read(SharedData.require("reference/all-MiniLM-L6-v2/test_bert__bert_single.snap")).getFirst();
    }

    /** all-MiniLM-L6-v2 with the tanh approximation of GELU, as TEI computes it, in {@code dir}. */
    public static Path withTanhGelu(Path dir) throws IOException {
        Path model = model();
        try (var files = Files.list(model)) {
            for (Path file : files.toList()) {
                if (!file.getFileName().toString().equals("config.json")) {
                    Files.createSymbolicLink(dir.resolve(file.getFileName()), file.toAbsolutePath());
                }
            }
        }
        String config = Files.readString(model.resolve("config.json"));
        if (!config.contains("\"hidden_act\": \"gelu\"")) throw new IllegalStateException("unexpected config: " + config);
        Files.writeString(dir.resolve("config.json"), config.replace("\"hidden_act\": \"gelu\"", "\"hidden_act\": \"gelu_new\""));
        return dir;
    }

    /** The largest absolute difference between two vectors. */
    public static double maxAbsDiff(float[] expected, float[] actual) {
        if (expected.length != actual.length) throw new AssertionError(expected.length + " vs " + actual.length + " floats");
        double worst = 0;
        for (int i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
        return worst;
    }
}
