package dev.ranker4j.hfio.safetensors;

import dev.ranker4j.hfio.config.TransformerConfig;
import dev.ranker4j.hfio.config.TransformerConfigJson;
import dev.ranker4j.testkit.SharedData;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real checkpoints in ../shared open, and their tensor shapes agree with their config.json. */
class SafetensorsSharedFilesTest {

    @Test
    void miniLmShapesMatchItsConfig() throws Exception {
        Path dir = SharedData.require("models/all-MiniLM-L6-v2");
        TransformerConfig config = TransformerConfigJson.read(dir);
        try (SafetensorsFile model = SafetensorsFile.open(dir)) {
            assertEquals(Map.of("format", "pt"), model.metadata());
            assertEquals(5 + 16 * config.numLayers(), model.names().size());
            long h = config.hiddenSize();
            assertShape(model, "embeddings.word_embeddings.weight", config.vocabSize(), h);
            assertShape(model, "embeddings.position_embeddings.weight", config.maxPositions(), h);
            assertShape(model, "embeddings.token_type_embeddings.weight", config.typeVocabSize(), h);
            assertShape(model, "embeddings.LayerNorm.weight", h);
            for (int layer = 0; layer < config.numLayers(); layer++) {
                String p = "encoder.layer." + layer + ".";
                for (String projection : new String[] {"query", "key", "value"}) {
                    assertShape(model, p + "attention.self." + projection + ".weight", h, h);
                    assertShape(model, p + "attention.self." + projection + ".bias", h);
                }
                assertShape(model, p + "attention.output.dense.weight", h, h);
                assertShape(model, p + "intermediate.dense.weight", config.intermediateSize(), h);
                assertShape(model, p + "output.dense.weight", h, config.intermediateSize());
                assertShape(model, p + "output.LayerNorm.bias", h);
            }
            for (String name : model.names()) {
                assertEquals(SafetensorsDtype.F32, model.info(name).dtype(), name);
            }
        }
    }

    @Test
    void miniLmValuesMatchAPlainReadOfTheFile() throws Exception {
        Path file = SharedData.require("models/all-MiniLM-L6-v2/model.safetensors");
        try (SafetensorsFile model = SafetensorsFile.open(file);
             FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer lengthField = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            channel.read(lengthField, 0);
            long dataStart = 8 + lengthField.getLong(0);
            // The last tensor of the file in offset order, and the word embeddings at its start.
            for (String name : new String[] {"encoder.layer.5.output.dense.weight", "embeddings.word_embeddings.weight"}) {
                float[] values = model.readF32(name);
                long offset = dataStart + model.segment(name).address() - model.segment(model.names().iterator().next()).address();
                ByteBuffer plain = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                channel.read(plain, offset);
                float[] expected = new float[values.length];
                plain.flip().asFloatBuffer().get(expected);
                assertArrayEquals(expected, values, name);
            }
        }
    }

    @Test
    void trainingReferenceShapesMatchItsConfig() throws Exception {
        TransformerConfig config = TransformerConfigJson.read(SharedData.require("reference/training/config.json"));
        Path file = SharedData.require("reference/training/cross_encoder_lce.safetensors");
        try (SafetensorsFile reference = SafetensorsFile.open(file)) {
            long h = config.hiddenSize();
            assertShape(reference, "bert.embeddings.word_embeddings.weight", config.vocabSize(), h);
            assertShape(reference, "bert.encoder.layer.1.intermediate.dense.weight", config.intermediateSize(), h);
            assertShape(reference, "classifier.weight", 1, h);
            assertShape(reference, "grad.classifier.weight", 1, h);
            assertEquals(SafetensorsDtype.F64, reference.info("bert.pooler.dense.weight").dtype());
            for (String name : reference.names()) {
                if (name.startsWith("input.")) {
                    assertEquals(SafetensorsDtype.I64, reference.info(name).dtype(), name);
                    long[] ids = reference.readI64(name);
                    assertEquals(reference.info(name).elementCount(), ids.length);
                }
            }
            long[] inputIds = reference.readI64("input.input_ids");
            for (long id : inputIds) {
                assertTrue(id >= 0 && id < config.vocabSize(), "input id " + id);
            }
            double[] weights = reference.readF64("bert.embeddings.LayerNorm.weight");
            float[] narrowed = reference.readF32("bert.embeddings.LayerNorm.weight");
            for (int i = 0; i < weights.length; i++) {
                assertEquals((float) weights[i], narrowed[i]);
            }
        }
    }

    @Test
    void distilBertReferenceShapesMatchItsConfig() throws Exception {
        TransformerConfig config = TransformerConfigJson.read(SharedData.require("reference/distilbert/config.json"));
        try (SafetensorsFile reference = SafetensorsFile.open(
                SharedData.require("reference/distilbert/distilbert_forward.safetensors"))) {
            long h = config.hiddenSize();
            assertShape(reference, "embeddings.word_embeddings.weight", config.vocabSize(), h);
            assertShape(reference, "embeddings.position_embeddings.weight", config.maxPositions(), h);
            for (int layer = 0; layer < config.numLayers(); layer++) {
                assertShape(reference, "transformer.layer." + layer + ".ffn.lin1.weight", config.intermediateSize(), h);
                assertShape(reference, "transformer.layer." + layer + ".attention.q_lin.weight", h, h);
            }
            long[] inputShape = reference.info("input.input_ids").shape();
            assertShape(reference, "output.last_hidden_state", inputShape[0], inputShape[1], h);
            assertShape(reference, "output.attentions.0", inputShape[0], config.numHeads(), inputShape[1], inputShape[1]);
            assertEquals(config.numLayers() + 1, reference.names().stream().filter(n -> n.startsWith("output.hidden_states.")).count());
        }
    }

    private static void assertShape(SafetensorsFile file, String name, long... expected) {
        assertArrayEquals(expected, file.info(name).shape(), name);
    }
}
