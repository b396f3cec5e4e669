package dev.ranker4j.cli;

import dev.ranker4j.tensor.DType;
import dev.ranker4j.transformer.io.config.TransformerConfig;
import dev.ranker4j.transformer.io.config.TransformerConfigJson;
import dev.ranker4j.transformer.io.keys.Pooling;
import dev.ranker4j.transformer.ranking.Colbert;
import dev.ranker4j.transformer.ranking.CrossEncoder;
import dev.ranker4j.transformer.ranking.DualEncoder;
import dev.ranker4j.transformer.ranking.Encoders;
import dev.ranker4j.transformer.ranking.Similarity;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Builds the models a {@code train} config's model sections describe. Each section either names a Hugging Face
 * directory to start from ({@code "init"}) or a config for a random initialisation ({@code "config"}: a config.json
 * path or an inline object), plus {@code "dtype"} (f32/f64) and {@code "seed"}.
 */
final class TrainModels {
    private TrainModels() {}

    static DType dtype(TrainConfig m) {
        return m.choice("dtype", "f32", List.of("f32", "f64")).equals("f64") ? DType.F64 : DType.F32;
    }

    static long seed(TrainConfig m) {
        return m.integer("seed", 42);
    }

    static TransformerConfig randomInitConfig(TrainConfig m) throws IOException {
        var raw = m.raw("config");
        if (raw.isTextual()) return TransformerConfigJson.read(Path.of(raw.textValue()));
        if (raw.isObject()) return TransformerConfigJson.parse(m.file(), raw.toString());
        throw m.error("config", "must be a path to config.json or an inline config object");
    }

    private static void requireOne(TrainConfig m) {
        if (m.has("init") == m.has("config")) throw m.error("init", "or 'config' must be given (exactly one of them)");
    }

    static CrossEncoder crossEncoder(TrainConfig m) throws IOException {
        requireOne(m);
        return m.has("init") ? CrossEncoder.load(m.path("init"), dtype(m), seed(m))
                : CrossEncoder.fromConfig(randomInitConfig(m), seed(m), dtype(m));
    }

    static DualEncoder dualEncoder(TrainConfig m) throws IOException {
        requireOne(m);
        Pooling pooling = m.choice("pooling", "cls", List.of("cls", "mean")).equals("cls") ? Pooling.CLS : Pooling.MEAN;
        Similarity similarity = m.choice("similarity", "dot", List.of("dot", "cosine")).equals("dot") ? Similarity.DOT : Similarity.COSINE;
        boolean shared = m.bool("shared_towers", true);
        if (m.has("init")) {
            if (shared) return DualEncoder.load(m.path("init"), dtype(m), pooling, similarity);
            return new DualEncoder(Encoders.load(m.path("init"), dtype(m)), Encoders.load(m.path("init"), dtype(m)), pooling, similarity);
        }
        return DualEncoder.fromConfig(randomInitConfig(m), seed(m), dtype(m), shared, pooling, similarity);
    }

    /** {@code "colbert"}: a ColBERT checkpoint; {@code "init"}: a BERT encoder plus a fresh projection; or {@code "config"}. */
    static Colbert colbert(TrainConfig m) throws IOException {
        int dimension = (int) m.integer("dim", Colbert.DEFAULT_DIMENSION);
        if (m.has("colbert")) return Colbert.load(m.path("colbert"), dtype(m));
        requireOne(m);
        if (m.has("init")) return Colbert.fromEncoder(m.path("init"), dimension, seed(m), dtype(m));
        Colbert model = Colbert.fromConfig(randomInitConfig(m), dimension, seed(m), dtype(m));
        model.eval();
        return model;
    }

    /** The directory tokenizer files come from: the config's "tokenizer", else the model section's "init". */
    static Path tokenizerDirectory(TrainConfig root, TrainConfig model) {
        if (root.has("tokenizer")) return root.path("tokenizer");
        if (model.has("init")) return model.path("init");
        throw root.error("tokenizer", "is missing (needed when the model is randomly initialised)");
    }
}
