package dev.ranker4j.transformer.ranking;

import dev.ranker4j.autograd.nn.Module;
import dev.ranker4j.autograd.nn.Parameter;
import dev.ranker4j.hfio.config.TransformerConfig;
import dev.ranker4j.hfio.safetensors.SafetensorsFile;
import dev.ranker4j.tensor.DType;
import dev.ranker4j.transformer.bert.CheckpointException;
import dev.ranker4j.transformer.bert.CheckpointWeights;
import dev.ranker4j.transformer.bert.HfCheckpoint;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Reads a whole ranking model (encoder + head) from one Hugging Face directory, as {@link HfCheckpoint#save} writes
 * it for every model. A ranking model's parameter names are already its checkpoint keys ({@code bert.encoder.layer.0...}, {@code classifier.weight},
 * {@code linear.weight}); when a key is absent, the same name without its first component is tried, so a bare
 * encoder checkpoint ({@code encoder.layer.0...}, e.g. a pre-trained LM) initialises the encoder of a new head.
 * Every weight read is checked ({@link CheckpointWeights}), and encoder weights the model leaves unread are an error
 * unless the caller leaves them out on purpose.
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
        return load(model, null, directory, dtype, mayBeMissing, Set.of(), name -> false);
    }

    /**
     * As {@link #load(Module, Path, DType, Collection)}; {@code fresh} parameters are never read (a new head,
     * initialised by the caller even where the checkpoint has one), and encoder weights of the checkpoint left unread
     * fail the load unless {@code deliberatelyUnread} accepts their canonical name (a student's cut layers).
     * {@code config} (the model's) words the error about a layer count; null skips that check.
     */
    public static Loaded load(Module model, TransformerConfig config, Path directory, DType dtype,
                              Collection<String> mayBeMissing, Collection<String> fresh,
                              Predicate<String> deliberatelyUnread) throws IOException {
        List<String> initialised = new ArrayList<>();
        try (SafetensorsFile weights = SafetensorsFile.open(directory)) {
            Set<String> unread = new LinkedHashSet<>(weights.names());
            for (Map.Entry<String, Parameter> entry : model.namedParameters().entrySet()) {
                String name = entry.getKey();
                String key = weights.contains(name) ? name : stripFirst(name);
                if (fresh.contains(name) || key == null || !weights.contains(key)) {
                    if (fresh.contains(name) || mayBeMissing.contains(name)) {
                        initialised.add(name);
                        continue;
                    }
                    throw new CheckpointException(weights.source(), "checkpoint has no tensor '" + name + "'"
                            + (stripFirst(name) == null ? "" : " (nor '" + stripFirst(name) + "')"));
                }
                Parameter p = entry.getValue();
                p.set(CheckpointWeights.read(weights, key, name, p.shape(), dtype));
                unread.remove(key);
            }
            // A module whose weight was read but whose bias was not (or the reverse) is a damaged checkpoint, not a
            // new module: half of it would silently be drawn at random.
            Set<String> read = new LinkedHashSet<>(model.namedParameters().keySet());
            read.removeAll(initialised);
            for (String name : initialised) {
                if (fresh.contains(name)) continue;
                String sibling = name.endsWith(".weight") ? name.substring(0, name.length() - 6) + "bias"
                        : name.endsWith(".bias") ? name.substring(0, name.length() - 4) + "weight" : null;
                if (sibling != null && read.contains(sibling)) {
                    throw new CheckpointException(weights.source(), "holds " + sibling + " but not " + name
                            + " (a damaged checkpoint: half of that module would be drawn at random)");
                }
            }
            if (config != null) {
                for (String prefix : List.of("bert.", "distilbert.")) {
                    List<String> underPrefix = unread.stream().filter(k -> k.startsWith(prefix)).toList();
                    CheckpointWeights.requireNoUnreadEncoderWeights(weights, underPrefix, prefix, config, deliberatelyUnread);
                }
                List<String> bare = unread.stream().filter(k -> !k.startsWith("bert.") && !k.startsWith("distilbert.")).toList();
                CheckpointWeights.requireNoUnreadEncoderWeights(weights, bare, "", config, deliberatelyUnread);
            }
        }
        return new Loaded(initialised);
    }

    private static String stripFirst(String name) {
        int dot = name.indexOf('.');
        return dot < 0 ? null : name.substring(dot + 1);
    }
}
