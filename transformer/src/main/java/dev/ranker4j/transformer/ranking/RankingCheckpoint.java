package dev.ranker4j.transformer.ranking;

import dev.ranker4j.autograd.nn.Module;
import dev.ranker4j.autograd.nn.Parameter;
import dev.ranker4j.hfio.safetensors.SafetensorsFile;
import dev.ranker4j.hfio.safetensors.SafetensorsTensorInfo;
import dev.ranker4j.tensor.DType;
import dev.ranker4j.tensor.Tensor;
import dev.ranker4j.transformer.bert.HfCheckpoint;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Reads a whole ranking model (encoder + head) from one Hugging Face directory, as {@link HfCheckpoint#save} writes
 * it for every model. A ranking model's parameter names are already its checkpoint keys ({@code bert.encoder.layer.0...}, {@code classifier.weight},
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
}
