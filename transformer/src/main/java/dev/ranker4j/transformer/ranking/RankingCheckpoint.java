package dev.ranker4j.transformer.ranking;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ranker4j.autograd.nn.Module;
import dev.ranker4j.autograd.nn.Parameter;
import dev.ranker4j.tensor.DType;
import dev.ranker4j.tensor.Tensor;
import dev.ranker4j.transformer.io.SafetensorsFile;
import dev.ranker4j.transformer.io.SafetensorsTensorInfo;
import dev.ranker4j.transformer.io.SafetensorsWriter;
import dev.ranker4j.transformer.io.config.TransformerConfig;
import dev.ranker4j.transformer.io.config.TransformerConfigJson;

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
 * Reads and writes a whole ranking model (encoder + head) as one Hugging Face directory. A ranking model's
 * parameter names are already its checkpoint keys ({@code bert.encoder.layer.0...}, {@code classifier.weight},
 * {@code linear.weight}); when a key is absent, the same name without its first component is tried, so a bare
 * encoder checkpoint ({@code encoder.layer.0...}, e.g. a pre-trained LM) initialises the encoder of a new head.
 */
public final class RankingCheckpoint {
    private RankingCheckpoint() {}

    /** What a load found: parameters left at their initial values because the checkpoint lacks them. */
    public record Loaded(List<String> initialised) {}

    /**
     * Copies the checkpoint in {@code directory} into {@code model}. Parameters in {@code mayBeMissing} (heads a
     * pre-trained LM does not have) keep their initial values; any other missing parameter is an error naming it.
     */
    public static Loaded load(Module model, Path directory, DType dtype, Collection<String> mayBeMissing) throws IOException {
        List<String> initialised = new ArrayList<>();
        try (SafetensorsFile weights = SafetensorsFile.open(directory)) {
            for (Map.Entry<String, Parameter> entry : model.namedParameters().entrySet()) {
                String name = entry.getKey();
                String key = weights.contains(name) ? name : stripFirst(name);
                if (key == null || !weights.contains(key)) {
                    if (mayBeMissing.contains(name)) {
                        initialised.add(name);
                        continue;
                    }
                    throw new IOException(directory + ": checkpoint has no tensor '" + name + "'"
                            + (stripFirst(name) == null ? "" : " (nor '" + stripFirst(name) + "')"));
                }
                Parameter p = entry.getValue();
                SafetensorsTensorInfo info = weights.info(key);
                int[] shape = Arrays.stream(info.shape()).mapToInt(Math::toIntExact).toArray();
                if (!Arrays.equals(shape, p.shape())) {
                    throw new IOException(directory + ": tensor '" + key + "' has shape " + Arrays.toString(shape)
                            + " but the model's " + name + " is " + Arrays.toString(p.shape()));
                }
                // readF32/readF64 return a fresh array (one copy out of the mapped file): wrap it, do not copy it again.
                p.set(dtype == DType.F64 ? Tensor.wrap(weights.readF64(key), shape) : Tensor.wrap(weights.readF32(key), shape));
            }
        }
        return new Loaded(initialised);
    }

    private static String stripFirst(String name) {
        int dot = name.indexOf('.');
        return dot < 0 ? null : name.substring(dot + 1);
    }

    /**
     * Writes {@code model.safetensors} (every parameter under its name) and {@code config.json} (the encoder's
     * config naming {@code architecture}, plus {@code extraFields}) into {@code directory}, each atomically.
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
        Map<String, JsonNode> other = new LinkedHashMap<>(config.otherFields());
        other.putAll(extraFields);
        TransformerConfig c = config;
        TransformerConfig named = new TransformerConfig(c.modelType(), List.of(architecture), c.vocabSize(), c.hiddenSize(),
                c.numLayers(), c.numHeads(), c.intermediateSize(), c.maxPositions(), c.typeVocabSize(), c.layerNormEps(),
                c.activation(), c.hiddenDropout(), c.attentionDropout(), c.padTokenId(), c.sinusoidalPositions(),
                c.initializerRange(), other);
        TransformerConfigJson.write(directory.resolve(TransformerConfigJson.FILE_NAME), named);
    }
}
