package dev.ranker4j.hfio.robustness;

import dev.ranker4j.hfio.config.ConfigException;
import dev.ranker4j.hfio.config.TransformerConfigJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Issue 16: config.json's null is no longer read as "absent, use the default"; a missing file is named. */
class ConfigJsonChecksTest {
    @TempDir
    Path dir;

    @Test
    void aNullForAnIntegerFieldIsRefusedNotDefaulted() throws Exception {
        Path file = Files.writeString(dir.resolve("config.json"), "{\"model_type\": \"bert\", \"vocab_size\": 100,"
                + " \"hidden_size\": 8, \"num_hidden_layers\": 1, \"num_attention_heads\": 2, \"intermediate_size\": 16,"
                + " \"max_position_embeddings\": null}");
        ConfigException e = assertThrows(ConfigException.class, () -> TransformerConfigJson.read(file));
        assertEquals(file + ": field 'max_position_embeddings': is null; remove it to use the default, or give a value",
                e.getMessage());
        Files.writeString(file, "{\"model_type\": \"bert\", \"vocab_size\": 100, \"hidden_size\": 8,"
                + " \"num_hidden_layers\": null, \"num_attention_heads\": 2, \"intermediate_size\": 16}");
        assertEquals(file + ": field 'num_hidden_layers': missing (required for model_type 'bert')",
                assertThrows(ConfigException.class, () -> TransformerConfigJson.read(file)).getMessage());
    }

    @Test
    void aMissingConfigJsonIsNamed() {
        ConfigException e = assertThrows(ConfigException.class, () -> TransformerConfigJson.read(dir));
        assertEquals(dir.resolve("config.json") + ": no such file (a model directory needs its config.json)", e.getMessage());
    }
}
