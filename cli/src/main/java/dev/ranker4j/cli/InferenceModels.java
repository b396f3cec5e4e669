package dev.ranker4j.cli;

import dev.ranker4j.autograd.nn.Module;
import dev.ranker4j.hfio.hub.ModelLocator;
import dev.ranker4j.kernels.Backend;
import dev.ranker4j.transformer.bert.SentenceEncoder;

import java.io.IOException;
import java.nio.file.Path;

/** Models loaded for inference from a command's {@code --model} argument (a directory or ORG/NAME[@revision]). */
public final class InferenceModels {
    private InferenceModels() {}

    /**
     * Fails, naming {@code option} and the model, when {@code length} tokens do not fit the model's position
     * embeddings (the run would otherwise fail part-way, on the first text that long).
     */
    public static void requireFits(String option, int length, dev.ranker4j.hfio.config.TransformerConfig config, Path model) {
        if (length > config.maxPositions()) {
            throw new IllegalArgumentException(option + " " + length + " exceeds the max_position_embeddings "
                    + config.maxPositions() + " of " + model + " (the model cannot read longer sequences)");
        }
    }

    /**
     * The sentence encoder named by {@code model}, batching {@code batchSize} texts. Inference only, so a device
     * {@code backend} may keep the weights resident (the CPU backend ignores this).
     */
    public static SentenceEncoder sentenceEncoder(Path model, int batchSize, Backend backend) throws IOException {
        SentenceEncoder encoder = SentenceEncoder.load(ModelLocator.locate(model.toString())).withBatchSize(batchSize);
        if (encoder.model() instanceof Module weights) weights.keepParametersOnDevice(backend);
        return encoder;
    }
}
