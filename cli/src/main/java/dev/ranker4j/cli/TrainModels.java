package dev.ranker4j.cli;

import dev.ranker4j.hfio.config.TransformerConfig;
import dev.ranker4j.hfio.config.TransformerConfigJson;
import dev.ranker4j.hfio.hub.ModelLocator;
import dev.ranker4j.hfio.keys.PoolingMode;
import dev.ranker4j.tensor.DType;
import dev.ranker4j.transformer.ranking.Colbert;
import dev.ranker4j.transformer.ranking.CrossEncoder;
import dev.ranker4j.transformer.ranking.DualEncoder;
import dev.ranker4j.transformer.ranking.DualEncoderSimilarity;
import dev.ranker4j.transformer.ranking.Encoders;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Builds the models a {@code train} config's model sections describe. Each section either names a Hugging Face
 * directory to start from ({@code "init"}) or a config for a random initialisation ({@code "config"}: a config.json
 * path or an inline object), plus {@code "dtype"} (f32/f64) and {@code "seed"}. A cross-encoder section may add
 * {@code "layers": k} to start from the lower k layers of {@code init} (a distillation student).
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

    /**
     * A model directory field ({@code init}, {@code colbert}, {@code tokenizer}): a directory, or a Hugging Face Hub
     * id {@code ORG/NAME[@revision]} resolved through the Hub cache ({@link ModelLocator}).
     */
    static Path modelDirectory(TrainConfig m, String field) throws IOException {
        try {
            return ModelLocator.locate(m.string(field));
        } catch (IllegalArgumentException e) {
            throw m.error(field, "is " + e.getMessage());
        }
    }

    private static void requireOne(TrainConfig m) {
        if (m.has("init") == m.has("config")) throw m.error("init", "or 'config' must be given (exactly one of them)");
    }

    static CrossEncoder crossEncoder(TrainConfig m) throws IOException {
        requireOne(m);
        if (m.has("layers") && !m.has("init")) throw m.error("layers", "keeps the lower layers of 'init', which is missing");
        int layers = (int) m.integer("layers", 0);
        if (layers < 0) throw m.error("layers", "must be >= 1, got " + layers);
        return m.has("init") ? CrossEncoder.load(modelDirectory(m, "init"), dtype(m), seed(m), layers)
                : CrossEncoder.fromConfig(randomInitConfig(m), seed(m), dtype(m));
    }

    static DualEncoder dualEncoder(TrainConfig m) throws IOException {
        requireOne(m);
        PoolingMode pooling = m.choice("pooling", "cls", List.of("cls", "mean")).equals("cls") ? PoolingMode.CLS : PoolingMode.MEAN;
        DualEncoderSimilarity similarity = m.choice("similarity", "dot", List.of("dot", "cosine")).equals("dot") ? DualEncoderSimilarity.DOT : DualEncoderSimilarity.COSINE;
        boolean shared = m.bool("shared_towers", true);
        if (m.has("init")) {
            if (shared) return DualEncoder.load(modelDirectory(m, "init"), dtype(m), pooling, similarity);
            return new DualEncoder(Encoders.load(modelDirectory(m, "init"), dtype(m)), Encoders.load(modelDirectory(m, "init"), dtype(m)), pooling, similarity);
        }
        return DualEncoder.fromConfig(randomInitConfig(m), seed(m), dtype(m), shared, pooling, similarity);
    }

    /** {@code "colbert"}: a ColBERT checkpoint; {@code "init"}: a BERT encoder plus a fresh projection; or {@code "config"}. */
    static Colbert colbert(TrainConfig m) throws IOException {
        int dimension = (int) m.integer("dim", Colbert.DEFAULT_DIMENSION);
        if (m.has("colbert")) return Colbert.load(modelDirectory(m, "colbert"), dtype(m));
        requireOne(m);
        if (m.has("init")) return Colbert.fromEncoder(modelDirectory(m, "init"), dimension, seed(m), dtype(m));
        Colbert model = Colbert.fromConfig(randomInitConfig(m), dimension, seed(m), dtype(m));
        model.eval();
        return model;
    }

    /** The directory tokenizer files come from: the config's "tokenizer", else the model section's "init". */
    static Path tokenizerDirectory(TrainConfig root, TrainConfig model) throws IOException {
        if (root.has("tokenizer")) return modelDirectory(root, "tokenizer");
        if (model.has("init")) return modelDirectory(model, "init");
        throw root.error("tokenizer", "is missing (needed when the model is randomly initialised)");
    }
}
