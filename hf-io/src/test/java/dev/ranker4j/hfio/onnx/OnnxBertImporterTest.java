package dev.ranker4j.hfio.onnx;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ranker4j.hfio.safetensors.SafetensorsFile;
import dev.ranker4j.hfio.safetensors.SafetensorsTensorInfo;
import dev.ranker4j.testkit.SharedData;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Imports the all-MiniLM-L6-v2 ONNX export shipped in langchain4j's Maven artifact and compares the result with the
 * reference HF directory in ../shared: every tensor bit for bit, the config's model-defining keys, the tokenizer files.
 */
class OnnxBertImporterTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path work;
    private static Path onnx;
    private static Path tokenizer;
    private static Path imported;

    @BeforeAll
    static void importOnce() throws IOException {
        onnx = MiniLmResources.copy(MiniLmResources.ONNX, work);
        tokenizer = MiniLmResources.copy(MiniLmResources.TOKENIZER, work);
        imported = OnnxBertImporter.importDirectory(onnx, tokenizer, work.resolve("out/minilm"), false);
    }

    @Test
    void everyTensorIsBitIdenticalToTheReferenceCheckpoint() throws IOException {
        Path reference = SharedData.require("models/all-MiniLM-L6-v2/model.safetensors");
        try (SafetensorsFile expected = SafetensorsFile.open(reference);
             SafetensorsFile actual = SafetensorsFile.open(imported.resolve("model.safetensors"))) {
            assertEquals(expected.names(), actual.names());
            assertEquals(101, actual.names().size());
            List<String> different = new ArrayList<>();
            for (String name : expected.names()) {
                SafetensorsTensorInfo want = expected.info(name), got = actual.info(name);
                assertEquals(want.dtype(), got.dtype(), name);
                assertArrayEquals(want.shape(), got.shape(), name);
                float[] a = expected.readF32(name), b = actual.readF32(name);
                for (int i = 0; i < a.length; i++) {
                    if (Float.floatToRawIntBits(a[i]) != Float.floatToRawIntBits(b[i])) {
                        different.add(name + "[" + i + "]");
                        break;
                    }
                }
            }
            assertEquals(List.of(), different);
            assertEquals("pt", actual.metadata().get("format"));
        }
    }

    @Test
    void configMatchesTheReferenceOnEveryModelDefiningKey() throws IOException {
        JsonNode expected = JSON.readTree(SharedData.require("models/all-MiniLM-L6-v2/config.json").toFile());
        JsonNode actual = JSON.readTree(imported.resolve("config.json").toFile());
        for (String key : List.of("architectures", "model_type", "vocab_size", "hidden_size", "num_hidden_layers",
                "num_attention_heads", "intermediate_size", "hidden_act", "max_position_embeddings", "type_vocab_size",
                "layer_norm_eps", "pad_token_id", "position_embedding_type")) {
            assertEquals(expected.get(key), actual.get(key), key);
        }
        assertEquals(1e-12, actual.get("layer_norm_eps").asDouble());
        // The non-defining keys (dropout, initializer range, dtype) are BertConfig's defaults, as in the reference.
        assertEquals(expected, actual);
    }

    @Test
    void tokenizerFilesMatchTheReference() throws IOException {
        Path shared = SharedData.require("models/all-MiniLM-L6-v2");
        assertEquals(JSON.readTree(shared.resolve("tokenizer.json").toFile()), JSON.readTree(imported.resolve("tokenizer.json").toFile()));
        assertArrayEquals(Files.readAllBytes(shared.resolve("vocab.txt")), Files.readAllBytes(imported.resolve("vocab.txt")));
        JsonNode expectedConfig = JSON.readTree(shared.resolve("tokenizer_config.json").toFile());
        JsonNode actualConfig = JSON.readTree(imported.resolve("tokenizer_config.json").toFile());
        expectedConfig.fieldNames().forEachRemaining(key -> assertEquals(expectedConfig.get(key), actualConfig.get(key), key));
        JsonNode special = JSON.readTree(imported.resolve("special_tokens_map.json").toFile());
        assertEquals("[CLS]", special.get("cls_token").asText());
        assertEquals("[MASK]", special.get("mask_token").asText());
    }

    @Test
    void theImportedDirectoryHoldsExactlyTheHfFiles() throws IOException {
        try (Stream<Path> files = Files.list(imported)) {
            assertEquals(List.of("config.json", "model.safetensors", "special_tokens_map.json", "tokenizer.json",
                    "tokenizer_config.json", "vocab.txt"), files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        try (Stream<Path> siblings = Files.list(imported.getParent())) {
            assertEquals(List.of("minilm"), siblings.map(p -> p.getFileName().toString()).toList(), "no staging left behind");
        }
    }

    @Test
    void refusesANonEmptyDirectoryUnlessAskedAndReplacesItWhole() throws IOException {
        Path out = work.resolve("existing");
        Files.createDirectories(out);
        Files.writeString(out.resolve("mine.txt"), "keep me");
        IOException refused = assertThrows(IOException.class, () -> OnnxBertImporter.importDirectory(onnx, tokenizer, out, false));
        assertTrue(refused.getMessage().contains("not empty"), refused.getMessage());
        assertEquals("keep me", Files.readString(out.resolve("mine.txt")));

        OnnxBertImporter.importDirectory(onnx, tokenizer, out, true);
        assertFalse(Files.exists(out.resolve("mine.txt")));
        assertTrue(Files.isRegularFile(out.resolve("model.safetensors")));
    }

    @Test
    void aFailedImportLeavesNothingBehind() throws IOException {
        Path badTokenizer = work.resolve("bad-tokenizer.json");
        Files.writeString(badTokenizer, "{\"model\":{\"type\":\"WordPiece\",\"unk_token\":\"[UNK]\",\"vocab\":"
                + "{\"[PAD]\":0,\"[UNK]\":1,\"[CLS]\":2,\"[SEP]\":3,\"[MASK]\":4}}}");
        Path out = work.resolve("failed/model");
        Files.createDirectories(out.getParent());
        OnnxFormatException error = assertThrows(OnnxFormatException.class,
                () -> OnnxBertImporter.importDirectory(onnx, badTokenizer, out, false));
        assertTrue(error.getMessage().contains("30522 rows but tokenizer.json has 5 tokens"), error.getMessage());
        try (Stream<Path> left = Files.list(out.getParent())) {
            assertEquals(List.of(), left.toList());
        }
    }
}
