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

    /**
     * Fails, naming the config field, when sequences of {@code length} tokens ({@code section.field}) do not fit the
     * position embeddings of {@code model} (the section {@code modelSection}).
     */
    static void requireFits(TrainConfig section, String field, int length, TransformerConfig model, String modelSection) {
        if (length > model.maxPositions()) {
            throw section.error(field, "is " + length + " but " + modelSection + " has max_position_embeddings "
                    + model.maxPositions() + " (it cannot read longer sequences)");
        }
    }

    static DType dtype(TrainConfig m) {
        return m.choice("dtype", "f32", List.of("f32", "f64")).equals("f64") ? DType.F64 : DType.F32;
    }

    static long seed(TrainConfig m) {
        return m.seed("seed", 42);
    }

    static TransformerConfig randomInitConfig(TrainConfig m) throws IOException {
        var raw = m.raw("config");
        if (raw.isTextual()) return TransformerConfigJson.read(m.path("config"));
        if (raw.isObject()) {
            try {
                return TransformerConfigJson.parse(m.file(), raw.toString());
            } catch (dev.ranker4j.hfio.config.ConfigException e) {
                throw m.error("config", "(an inline config.json) " + e.getMessage().substring(m.file().toString().length() + 2));
            }
        }
        throw m.error("config", "must be a path to config.json or an inline config object, got " + raw);
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

    /**
     * A cross-encoder section. {@code head}: {@code checkpoint} (the init directory's own head, required),
     * {@code new} (a new seeded head whatever the directory holds) or {@code auto}: a trained role ({@code trained})
     * keeps the directory's head and starts a new one on a bare encoder (all-MiniLM-L6-v2, a pre-trained LM), a
     * teacher needs the directory's own. A new head is reported on {@code log}.
     */
    static CrossEncoder crossEncoder(TrainConfig m, boolean trained, java.io.PrintWriter log) throws IOException {
        requireOne(m);
        if (m.has("layers") && !m.has("init")) throw m.error("layers", "keeps the lower layers of 'init', which is missing");
        if (m.has("head") && !m.has("init")) throw m.error("head", "chooses the head of 'init', which is missing");
        int layers = m.count("layers", 0, 1);
        if (!m.has("init")) return CrossEncoder.fromConfig(randomInitConfig(m), seed(m), dtype(m));
        String headChoice = m.choice("head", "auto", List.of("auto", "checkpoint", "new"));
        if (!trained && headChoice.equals("new")) throw m.error("head", "is 'new', but " + m.name() + " only scores (a teacher needs its trained head)");
        CrossEncoder.Head head = switch (headChoice) {
            case "checkpoint" -> CrossEncoder.Head.FROM_CHECKPOINT;
            case "new" -> CrossEncoder.Head.NEW;
            default -> trained ? CrossEncoder.Head.NEW_IF_ENCODER_ONLY : CrossEncoder.Head.FROM_CHECKPOINT;
        };
        Path init = modelDirectory(m, "init");
        CrossEncoder model = CrossEncoder.load(init, dtype(m), seed(m), layers, head);
        if (!model.initialisedParameters().isEmpty()) {
            log.println("train: " + m.name() + ".init " + init + ": " + (head == CrossEncoder.Head.NEW ? "" : "no classification head in the checkpoint; ")
                    + "new " + model.initialisedParameters() + " (seed " + seed(m) + ")");
            log.flush();
        }
        return model;
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
        int dimension = m.count("dim", Colbert.DEFAULT_DIMENSION, 1);
        if (m.has("colbert") && (m.has("init") || m.has("config") || m.has("dim"))) {
            throw m.error("colbert", "loads a whole ColBERT checkpoint (its projection width included): remove 'init', 'config' and 'dim'");
        }
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
