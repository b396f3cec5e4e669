package dev.ranker4j.transformer.bert;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ranker4j.autograd.nn.Module;
import dev.ranker4j.autograd.nn.Parameter;
import dev.ranker4j.hfio.config.ConfigException;
import dev.ranker4j.hfio.config.ModelType;
import dev.ranker4j.hfio.config.TransformerConfig;
import dev.ranker4j.hfio.config.TransformerConfigJson;
import dev.ranker4j.hfio.keys.CheckpointKeys;
import dev.ranker4j.hfio.keys.LoadReport;
import dev.ranker4j.hfio.keys.SentenceTransformersDirectory;
import dev.ranker4j.hfio.safetensors.SafetensorsFile;
import dev.ranker4j.hfio.safetensors.SafetensorsWriter;
import dev.ranker4j.tensor.DType;
import dev.ranker4j.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes an encoder's parameters as a Hugging Face model directory ({@code config.json} +
 * {@code model.safetensors}, or a sharded index), under Hugging Face key names. Ranking models
 * ({@link dev.ranker4j.transformer.ranking.RankingCheckpoint}) are written by the same {@link #save}.
 */
public final class HfCheckpoint {
    private HfCheckpoint() {}

    /**
     * The directory holding {@code config.json} and the weights: {@code directory} itself, or the Transformer
     * module's directory of a sentence-transformers layout.
     */
    static Path modelDirectory(Path directory) throws IOException {
        return SentenceTransformersDirectory.detect(directory)
                .map(SentenceTransformersDirectory::transformerDirectory).orElse(directory);
    }

    /** The config of {@code directory}, which must be of {@code expected} type. */
    static TransformerConfig readConfig(Path directory, ModelType expected) throws IOException {
        Path file = directory.resolve(TransformerConfigJson.FILE_NAME);
        TransformerConfig config = TransformerConfigJson.read(file);
        if (config.modelType() != expected) {
            throw new ConfigException(file, "model_type", "is '" + config.modelType().hfName() + "' but this loader reads '"
                    + expected.hfName() + "' models");
        }
        return config;
    }

    /** Whether the checkpoint holds the canonical parameter {@code name} under any encoder prefix. */
    static boolean hasCanonical(SafetensorsFile weights, String name) {
        for (String key : weights.names()) {
            for (String prefix : CheckpointKeys.PREFIXES) {
                if (CheckpointKeys.canonical(key, prefix).equals(name)) return true;
            }
        }
        return false;
    }

    /**
     * Copies every parameter of {@code model} found in {@code weights} into it, converting to {@code dtype}.
     * Fails (naming the checkpoint and the keys) when a parameter outside {@code mayBeMissing} is absent, and as
     * {@link CheckpointWeights} says when a weight is not a finite float of the configured shape or an encoder weight
     * of the checkpoint would be left unread.
     */
    static LoadReport loadInto(Module model, TransformerConfig config, SafetensorsFile weights, DType dtype,
                               Collection<String> mayBeMissing) throws IOException {
        Map<String, Parameter> parameters = model.namedParameters();
        LoadReport report = CheckpointKeys.match(weights.names(), parameters.keySet());
        report.requireComplete(weights.source().toString(), mayBeMissing);
        CheckpointWeights.requireNoUnreadEncoderWeights(weights, report.unexpected(), report.prefix(), config, name -> false);
        for (Map.Entry<String, String> found : report.checkpointKey().entrySet()) {
            Parameter parameter = parameters.get(found.getKey());
            parameter.set(CheckpointWeights.read(weights, found.getValue(), found.getKey(), parameter.shape(), dtype));
        }
        return report;
    }

    /**
     * Writes {@code model.safetensors} (parameters under their canonical names, i.e. the bare encoder's keys, in
     * registration order, {@code {"format":"pt"}} metadata) and {@code config.json} into {@code directory}, each
     * atomically (temporary file + rename); the directory is created if needed.
     */
    static void save(Module model, TransformerConfig config, String architecture, Path directory) throws IOException {
        save(model, config, architecture, Map.of(), directory);
    }

    /**
     * Writes {@code model.safetensors} (every parameter under its {@code namedParameters()} name, in registration
     * order, {@code {"format":"pt"}} metadata) and {@code config.json} (naming {@code architecture}, with
     * {@code extraFields} added to the config's other fields) into {@code directory}, each atomically (temporary
     * file + rename); the directory is created if needed.
     */
    public static void save(Module model, TransformerConfig config, String architecture, Map<String, JsonNode> extraFields,
                            Path directory) throws IOException {
        Files.createDirectories(directory);
        List<SafetensorsWriter.Entry> entries = new ArrayList<>();
        model.namedParameters().forEach((name, parameter) -> {
            Tensor value = parameter.value().contiguous();
            long[] shape = Arrays.stream(value.shape()).asLongStream().toArray();
            entries.add(value.dtype() == DType.F64 ? SafetensorsWriter.Entry.f64(name, shape, value.toDoubleArray())
                    : SafetensorsWriter.Entry.f32(name, shape, value.toFloatArray()));
        });
        SafetensorsWriter.write(directory.resolve(SafetensorsFile.SINGLE_FILE_NAME), Map.of("format", "pt"), entries);
        TransformerConfigJson.write(directory.resolve(TransformerConfigJson.FILE_NAME),
                withArchitecture(config, architecture, extraFields));
    }

    /** The same config naming the class whose key layout was written, with {@code extraFields} added. */
    static TransformerConfig withArchitecture(TransformerConfig c, String architecture, Map<String, JsonNode> extraFields) {
        Map<String, JsonNode> other = new LinkedHashMap<>(c.otherFields());
        other.putAll(extraFields);
        return new TransformerConfig(c.modelType(), List.of(architecture), c.vocabSize(), c.hiddenSize(), c.numLayers(),
                c.numHeads(), c.intermediateSize(), c.maxPositions(), c.typeVocabSize(), c.layerNormEps(), c.activation(),
                c.hiddenDropout(), c.attentionDropout(), c.padTokenId(), c.sinusoidalPositions(), c.initializerRange(),
                other);
    }
}
