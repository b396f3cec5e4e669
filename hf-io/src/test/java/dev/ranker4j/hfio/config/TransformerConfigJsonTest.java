package dev.ranker4j.hfio.config;

import dev.ranker4j.testkit.SharedData;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TransformerConfigJsonTest {
    @TempDir
    Path dir;

    @Test
    void readsMiniLm() throws Exception {
        TransformerConfig config = TransformerConfigJson.read(SharedData.require("models/all-MiniLM-L6-v2/config.json"));
        assertEquals(ModelType.BERT, config.modelType());
        assertEquals(List.of("BertModel"), config.architectures());
        assertEquals(30522, config.vocabSize());
        assertEquals(384, config.hiddenSize());
        assertEquals(6, config.numLayers());
        assertEquals(12, config.numHeads());
        assertEquals(32, config.headSize());
        assertEquals(1536, config.intermediateSize());
        assertEquals(512, config.maxPositions());
        assertEquals(2, config.typeVocabSize());
        assertEquals(1e-12, config.layerNormEps());
        assertEquals(Activation.GELU, config.activation());
        assertEquals(0.1, config.hiddenDropout());
        assertEquals(0.1, config.attentionDropout());
        assertEquals(0, config.padTokenId());
        assertEquals(0.02, config.initializerRange());
        assertEquals("float32", config.otherFields().get("torch_dtype").textValue());
    }

    @Test
    void readsTheTinyTrainingBert() throws Exception {
        TransformerConfig config = TransformerConfigJson.read(SharedData.require("reference/training"));
        assertEquals(512, config.vocabSize());
        assertEquals(32, config.hiddenSize());
        assertEquals(2, config.numLayers());
        assertEquals(4, config.numHeads());
        assertEquals(64, config.intermediateSize());
        assertEquals(64, config.maxPositions());
        assertEquals(0.0, config.hiddenDropout());
        assertEquals(0.1, config.initializerRange());
    }

    @Test
    void readsDistilBertKeyNames() throws Exception {
        TransformerConfig config = TransformerConfigJson.read(SharedData.require("reference/distilbert/config.json"));
        assertEquals(ModelType.DISTILBERT, config.modelType());
        assertEquals(List.of("DistilBertModel"), config.architectures());
        assertEquals(300, config.vocabSize());
        assertEquals(24, config.hiddenSize());
        assertEquals(2, config.numLayers());
        assertEquals(3, config.numHeads());
        assertEquals(48, config.intermediateSize());
        assertEquals(40, config.maxPositions());
        assertEquals(0, config.typeVocabSize());
        assertEquals(1e-12, config.layerNormEps());
        assertEquals(Activation.GELU, config.activation());
        assertEquals(0.0, config.attentionDropout());
        assertFalse(config.sinusoidalPositions());
        assertTrue(config.otherFields().isEmpty(), config.otherFields().toString());
    }

    @Test
    void writeThenReadGivesTheSameConfigInTheFamilysKeyNames() throws Exception {
        for (String shared : List.of("models/all-MiniLM-L6-v2/config.json", "reference/distilbert/config.json")) {
            Path source = SharedData.require(shared);
            TransformerConfig config = TransformerConfigJson.read(source);
            Path copy = dir.resolve(config.modelType().hfName() + "-config.json");
            TransformerConfigJson.write(copy, config);
            assertEquals(config, TransformerConfigJson.read(copy));
            var original = new com.fasterxml.jackson.databind.ObjectMapper().readTree(source.toFile());
            var written = new com.fasterxml.jackson.databind.ObjectMapper().readTree(copy.toFile());
            original.properties().forEach(entry -> assertEquals(entry.getValue(), written.get(entry.getKey()),
                    shared + " key " + entry.getKey()));
        }
    }

    @Test
    void inferedModelTypeAndHfDefaults() throws Exception {
        TransformerConfig distil = TransformerConfigJson.parse(Path.of("old.json"),
                "{\"vocab_size\":10,\"dim\":8,\"n_layers\":1,\"n_heads\":2,\"hidden_dim\":16}");
        assertEquals(ModelType.DISTILBERT, distil.modelType());
        assertEquals(512, distil.maxPositions());
        assertEquals(0.1, distil.hiddenDropout());
        TransformerConfig bert = TransformerConfigJson.parse(Path.of("old.json"),
                "{\"vocab_size\":10,\"hidden_size\":8,\"num_hidden_layers\":1,\"num_attention_heads\":2,"
                        + "\"intermediate_size\":16,\"hidden_act\":\"gelu_new\",\"id2label\":{\"0\":\"LABEL_0\"}}");
        assertEquals(ModelType.BERT, bert.modelType());
        assertEquals(2, bert.typeVocabSize());
        assertTrue(bert.activation().isTanhApproximation());
        assertEquals(1, bert.numLabels());
    }

    private static ConfigException rejected(String json) {
        return assertThrows(ConfigException.class, () -> TransformerConfigJson.parse(Path.of("bad/config.json"), json));
    }

    private static final String BERT = "\"model_type\":\"bert\",\"vocab_size\":100,\"num_hidden_layers\":2,\"intermediate_size\":64,";

    @Test
    void badConfigsNameTheFileAndTheField() {
        ConfigException divisible = rejected("{" + BERT + "\"hidden_size\":30,\"num_attention_heads\":4}");
        assertEquals("hidden_size", divisible.field());
        assertTrue(divisible.getMessage().startsWith("bad/config.json: field 'hidden_size': 30 is not divisible by"
                + " num_attention_heads = 4"), divisible.getMessage());

        ConfigException distilHeads = rejected("{\"model_type\":\"distilbert\",\"vocab_size\":9,\"dim\":10,\"n_layers\":1,"
                + "\"n_heads\":3,\"hidden_dim\":4}");
        assertEquals("dim", distilHeads.field());
        assertTrue(distilHeads.getMessage().contains("not divisible by n_heads = 3"), distilHeads.getMessage());

        ConfigException activation = rejected("{" + BERT + "\"hidden_size\":32,\"num_attention_heads\":4,\"hidden_act\":\"swish\"}");
        assertEquals("hidden_act", activation.field());
        assertTrue(activation.getMessage().contains("unknown activation 'swish' (known: [gelu, gelu_new, gelu_pytorch_tanh, relu])"),
                activation.getMessage());

        ConfigException missing = rejected("{" + BERT + "\"num_attention_heads\":4}");
        assertEquals("hidden_size", missing.field());
        assertTrue(missing.getMessage().contains("missing"), missing.getMessage());

        ConfigException negative = rejected("{" + BERT + "\"hidden_size\":32,\"num_attention_heads\":4,\"max_position_embeddings\":-5}");
        assertEquals("max_position_embeddings", negative.field());
        assertTrue(negative.getMessage().contains("must be positive, got -5"), negative.getMessage());

        ConfigException wrongType = rejected("{" + BERT + "\"hidden_size\":\"32\",\"num_attention_heads\":4}");
        assertEquals("hidden_size", wrongType.field());
        assertTrue(wrongType.getMessage().contains("must be an integer, got \"32\""), wrongType.getMessage());

        ConfigException dropout = rejected("{" + BERT + "\"hidden_size\":32,\"num_attention_heads\":4,\"hidden_dropout_prob\":1.5}");
        assertEquals("hidden_dropout_prob", dropout.field());

        ConfigException pad = rejected("{" + BERT + "\"hidden_size\":32,\"num_attention_heads\":4,\"pad_token_id\":100}");
        assertEquals("pad_token_id", pad.field());

        ConfigException type = rejected("{\"model_type\":\"roberta\"}");
        assertEquals("model_type", type.field());
        assertTrue(type.getMessage().contains("unsupported model type 'roberta'"), type.getMessage());

        ConfigException positions = rejected("{" + BERT + "\"hidden_size\":32,\"num_attention_heads\":4,"
                + "\"position_embedding_type\":\"relative_key\"}");
        assertEquals("position_embedding_type", positions.field());

        ConfigException json = rejected("{\"model_type\":");
        assertTrue(json.getMessage().contains("not valid JSON"), json.getMessage());
        ConfigException duplicate = rejected("{\"dim\":1,\"dim\":2}");
        assertTrue(duplicate.getMessage().contains("Duplicate field 'dim'"), duplicate.getMessage());
        ConfigException notObject = rejected("[]");
        assertTrue(notObject.getMessage().contains("must be a JSON object"), notObject.getMessage());
    }

    @Test
    void writingDoesNotCorruptAnExistingFileOnFailure() throws Exception {
        Path file = dir.resolve("config.json");
        Files.writeString(file, "{\"keep\": true}");
        Path blocked = dir.resolve("sub");
        Files.writeString(blocked, "a file where a directory is needed");
        TransformerConfig config = TransformerConfigJson.read(SharedData.require("reference/training/config.json"));
        assertThrows(java.io.IOException.class, () -> TransformerConfigJson.write(blocked.resolve("config.json"), config));
        TransformerConfigJson.write(file, config);
        assertEquals(config, TransformerConfigJson.read(file));
        try (var listing = Files.list(dir)) {
            assertEquals(2, listing.count(), "no temporary files left behind");
        }
    }
}
