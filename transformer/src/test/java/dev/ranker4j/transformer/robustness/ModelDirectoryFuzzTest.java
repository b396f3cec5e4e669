package dev.ranker4j.transformer.robustness;

import dev.ranker4j.autograd.nn.Module;
import dev.ranker4j.hfio.config.ConfigException;
import dev.ranker4j.hfio.config.TransformerConfig;
import dev.ranker4j.hfio.config.TransformerConfigJson;
import dev.ranker4j.hfio.keys.CheckpointKeyException;
import dev.ranker4j.hfio.safetensors.SafetensorsFormatException;
import dev.ranker4j.tensor.DType;
import dev.ranker4j.testkit.Fuzz;
import dev.ranker4j.testkit.Mutation;
import dev.ranker4j.transformer.bert.BertModel;
import dev.ranker4j.transformer.bert.CheckpointException;
import dev.ranker4j.transformer.ranking.CrossEncoder;
import net.jqwik.api.Example;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Model directories under random mutations of their model.safetensors (testkit {@link Fuzz}), loaded as the commands
 * load them. A mutation of the length field or the JSON header must load the same weights or be refused, naming the
 * file ({@link SafetensorsFormatException}, {@link CheckpointException}, {@link CheckpointKeyException}): a renamed,
 * retyped or reshaped tensor never loads as a different model. A mutation of the data section may only change values
 * (the loaders refuse the ones that are not finite).
 */
class ModelDirectoryFuzzTest {
    private final Path dir = Fuzz.temporaryDirectory("ranker4j-fuzz-model-");

    private static TransformerConfig config() throws Exception {
        return TransformerConfigJson.parse(Path.of("config.json"), """
                {"model_type": "bert", "vocab_size": 12, "hidden_size": 4, "num_hidden_layers": 2,
                 "num_attention_heads": 2, "intermediate_size": 8, "max_position_embeddings": 16,
                 "type_vocab_size": 2, "initializer_range": 0.5}""");
    }

    private static List<String> weights(Module model) {
        List<String> out = new ArrayList<>();
        model.namedParameters().forEach((name, p) -> out.add(name + " " + Arrays.toString(p.value().toFloatArray())));
        return out;
    }

    private static void fuzz(String format, Path directory, Fuzz.Reader<List<String>> reader) throws Exception {
        Path file = directory.resolve("model.safetensors");
        byte[] original = Files.readAllBytes(file);
        int header = 8 + (int) ByteBuffer.wrap(original, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        Fuzz.requireClean(Fuzz.run(format, file, original, Mutation.anywhere(original.length), reader,
                (before, after, m) -> m.touches(0, header) ? "a header mutation loaded other weights" : null,
                SafetensorsFormatException.class, CheckpointException.class, CheckpointKeyException.class,
                ConfigException.class));
    }

    @Example
    void bertModelDirectory() throws Exception {
        Path directory = Files.createDirectories(dir.resolve("bert"));
        BertModel.fromConfig(config(), 3, DType.F32, true).save(directory);
        fuzz("model-dir-bert", directory, f -> weights(BertModel.load(f.getParent())));
    }

    @Example
    void crossEncoderDirectory() throws Exception {
        Path directory = Files.createDirectories(dir.resolve("cross-encoder"));
        CrossEncoder.fromConfig(config(), 4, DType.F32).save(directory);
        fuzz("model-dir-cross-encoder", directory, f -> weights(CrossEncoder.load(f.getParent(), DType.F32, 0)));
    }
}
