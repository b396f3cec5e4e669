package dev.ranker4j.hfio.keys;

import dev.ranker4j.hfio.config.ConfigException;
import dev.ranker4j.testkit.SharedData;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SentenceTransformersDirectoryTest {
    @TempDir
    Path dir;

    private static final String TRANSFORMER = "{\"idx\":0,\"name\":\"0\",\"path\":\"\",\"type\":\"sentence_transformers.models.Transformer\"}";
    private static final String POOLING = "{\"idx\":1,\"name\":\"1\",\"path\":\"1_Pooling\",\"type\":\"sentence_transformers.models.Pooling\"}";
    private static final String NORMALIZE = "{\"idx\":2,\"name\":\"2\",\"path\":\"2_Normalize\",\"type\":\"sentence_transformers.models.Normalize\"}";

    private void layout(String modules, String poolingConfig) throws Exception {
        Files.writeString(dir.resolve("modules.json"), modules);
        Files.createDirectories(dir.resolve("1_Pooling"));
        Files.writeString(dir.resolve("1_Pooling/config.json"), poolingConfig);
    }

    private static String pooling(boolean cls, boolean mean) {
        return "{\"word_embedding_dimension\":384,\"pooling_mode_cls_token\":" + cls + ",\"pooling_mode_mean_tokens\":"
                + mean + ",\"pooling_mode_max_tokens\":false,\"pooling_mode_mean_sqrt_len_tokens\":false}";
    }

    @Test
    void miniLmSharedDirectoryIsAPlainHfDirectory() throws Exception {
        assertEquals(Optional.empty(), SentenceTransformersDirectory.detect(SharedData.require("models/all-MiniLM-L6-v2")));
    }

    @Test
    void meanPoolingWithNormalize() throws Exception {
        layout("[" + TRANSFORMER + "," + POOLING + "," + NORMALIZE + "]", pooling(false, true));
        SentenceTransformersDirectory st = SentenceTransformersDirectory.detect(dir).orElseThrow();
        assertEquals(PoolingMode.MEAN, st.pooling());
        assertTrue(st.normalize());
        assertEquals(dir, st.transformerDirectory());
        assertEquals(384, st.embeddingDimension());
    }

    @Test
    void clsPoolingWithoutNormalizeAndATransformerSubdirectory() throws Exception {
        String transformer = TRANSFORMER.replace("\"path\":\"\"", "\"path\":\"0_Transformer\"");
        layout("[" + transformer + "," + POOLING + "]", pooling(true, false));
        SentenceTransformersDirectory st = SentenceTransformersDirectory.detect(dir).orElseThrow();
        assertEquals(PoolingMode.CLS, st.pooling());
        assertFalse(st.normalize());
        assertEquals(dir.resolve("0_Transformer"), st.transformerDirectory());
    }

    @Test
    void unsupportedOrContradictoryLayoutsAreRefused() throws Exception {
        layout("[" + TRANSFORMER + "," + POOLING + "]", pooling(true, true));
        ConfigException both = assertThrows(ConfigException.class, () -> SentenceTransformersDirectory.detect(dir));
        assertTrue(both.getMessage().contains("both CLS and mean pooling"), both.getMessage());

        layout("[" + TRANSFORMER + "," + POOLING + "]", pooling(false, false).replace("\"pooling_mode_max_tokens\":false", "\"pooling_mode_max_tokens\":true"));
        ConfigException max = assertThrows(ConfigException.class, () -> SentenceTransformersDirectory.detect(dir));
        assertEquals("pooling_mode_max_tokens", max.field());

        layout("[" + TRANSFORMER + "," + POOLING + ",{\"path\":\"2_Dense\",\"type\":\"sentence_transformers.models.Dense\"}]", pooling(false, true));
        ConfigException dense = assertThrows(ConfigException.class, () -> SentenceTransformersDirectory.detect(dir));
        assertTrue(dense.getMessage().contains("modules.json: field '[2]': unsupported module type 'sentence_transformers.models.Dense'"),
                dense.getMessage());

        layout("[" + TRANSFORMER + "]", pooling(false, true));
        ConfigException noPooling = assertThrows(ConfigException.class, () -> SentenceTransformersDirectory.detect(dir));
        assertTrue(noPooling.getMessage().contains("needs one Transformer and one PoolingMode module"), noPooling.getMessage());

        layout("[" + TRANSFORMER + "," + POOLING + "]", "{\"pooling_mode_cls_token\": \"yes\"}");
        ConfigException typed = assertThrows(ConfigException.class, () -> SentenceTransformersDirectory.detect(dir));
        assertEquals("pooling_mode_cls_token", typed.field());

        Files.writeString(dir.resolve("modules.json"), "{not json");
        ConfigException json = assertThrows(ConfigException.class, () -> SentenceTransformersDirectory.detect(dir));
        assertTrue(json.getMessage().contains("not valid JSON"), json.getMessage());
    }
}
