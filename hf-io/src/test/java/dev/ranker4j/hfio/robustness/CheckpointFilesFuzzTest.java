package dev.ranker4j.hfio.robustness;

import dev.ranker4j.hfio.config.ConfigException;
import dev.ranker4j.hfio.config.TransformerConfig;
import dev.ranker4j.hfio.config.TransformerConfigJson;
import dev.ranker4j.hfio.safetensors.SafetensorsFile;
import dev.ranker4j.hfio.safetensors.SafetensorsFormatException;
import dev.ranker4j.hfio.safetensors.SafetensorsWriter;
import dev.ranker4j.testkit.Fuzz;
import dev.ranker4j.testkit.Mutation;
import net.jqwik.api.Example;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * safetensors files and config.json under random mutations (testkit {@link Fuzz}). A safetensors mutation of the
 * length field or the JSON header must read the same tensors or be refused ({@link SafetensorsFormatException}
 * naming the file): the header's checks (tiling, sizes, dtypes) leave no valid different reading of the same bytes,
 * except a renamed tensor or metadata, which the judge accepts only when the tensors' dtypes, shapes and bytes are
 * those of the original. A mutation of the data section changes values and nothing else. config.json: the same
 * config, a {@link ConfigException} naming the file, or another config that writes back and reads the same.
 */
class CheckpointFilesFuzzTest {
    private final Path dir = Fuzz.temporaryDirectory("ranker4j-fuzz-hfio-");

    /** Name, dtype, shape and bytes of every tensor, in header order. */
    private static List<String> tensors(Path file) throws Exception {
        List<String> out = new ArrayList<>();
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            out.add("metadata " + f.metadata());
            for (String name : f.names()) {
                var info = f.info(name);
                out.add(name + "\u0001" + info.dtype() + " " + Arrays.toString(info.shape()) + " "
                        + Arrays.toString(f.segment(name).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE)));
            }
        }
        return out;
    }

    @Example
    void safetensors() throws Exception {
        Path file = dir.resolve("model.safetensors");
        SafetensorsWriter.write(file, Map.of("format", "pt"), List.of(
                SafetensorsWriter.Entry.f32("encoder.layer.0.weight", new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6}),
                SafetensorsWriter.Entry.f16FromF32("encoder.layer.0.bias", new long[] {3}, new float[] {0.5f, -1, 2}),
                SafetensorsWriter.Entry.i64("input_ids", new long[] {1, 4}, new long[] {101, 2054, 2003, 102}),
                SafetensorsWriter.Entry.f64("scalar", new long[] {}, new double[] {3.25})));
        byte[] original = Files.readAllBytes(file);
        int header = 8 + (int) ByteBuffer.wrap(original, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        Fuzz.requireClean(Fuzz.run("safetensors", file, original, Mutation.anywhere(original.length),
                CheckpointFilesFuzzTest::tensors,
                (before, after, m) -> {
                    if (!m.touches(0, header)) return null; // data bytes changed: other values, nothing else
                    // A renamed tensor or changed metadata is another valid file; everything else must be as before.
                    List<String> strip = new ArrayList<>(), stripAfter = new ArrayList<>();
                    for (String t : before.subList(1, before.size())) strip.add(t.substring(t.indexOf('\u0001')));
                    for (String t : after.subList(1, after.size())) stripAfter.add(t.substring(t.indexOf('\u0001')));
                    java.util.Collections.sort(strip);
                    java.util.Collections.sort(stripAfter);
                    return strip.equals(stripAfter) ? null : "a header mutation read as other tensors: " + after;
                }, SafetensorsFormatException.class));
    }

    @Example
    void configJson() throws Exception {
        Path file = dir.resolve("config.json"), copy = dir.resolve("copy.json");
        byte[] original = """
                {
                  "architectures": ["BertForSequenceClassification"],
                  "model_type": "bert",
                  "vocab_size": 30522,
                  "hidden_size": 384,
                  "num_hidden_layers": 6,
                  "num_attention_heads": 12,
                  "intermediate_size": 1536,
                  "hidden_act": "gelu",
                  "hidden_dropout_prob": 0.1,
                  "attention_probs_dropout_prob": 0.1,
                  "max_position_embeddings": 512,
                  "type_vocab_size": 2,
                  "initializer_range": 0.02,
                  "layer_norm_eps": 1e-12,
                  "pad_token_id": 0,
                  "id2label": {"0": "LABEL_0"},
                  "torch_dtype": "float32"
                }
                """.getBytes(StandardCharsets.UTF_8);
        Fuzz.requireClean(Fuzz.run("config.json", file, original, Mutation.anywhere(original.length),
                TransformerConfigJson::read,
                (before, after, m) -> {
                    TransformerConfigJson.write(copy, after);
                    TransformerConfig again = TransformerConfigJson.read(copy);
                    return again.equals(after) ? null : "a config that reads back as " + again;
                }, ConfigException.class));
    }

    /** What real files contain: a byte order mark before config.json's JSON reads exactly as without. */
    @Example
    void configJsonWithAByteOrderMark() throws Exception {
        String json = "{\"model_type\": \"bert\", \"vocab_size\": 100, \"hidden_size\": 8, \"num_hidden_layers\": 1,"
                + " \"num_attention_heads\": 2, \"intermediate_size\": 16}";
        Path plain = Files.writeString(dir.resolve("plain.json"), json);
        Path marked = Files.writeString(dir.resolve("marked.json"), "\uFEFF" + json.replace("\n", "\r\n"));
        assertEquals(TransformerConfigJson.read(plain), TransformerConfigJson.read(marked));
    }
}
