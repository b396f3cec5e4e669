package dev.ranker4j.transformer.robustness;

import dev.ranker4j.hfio.config.TransformerConfig;
import dev.ranker4j.hfio.config.TransformerConfigJson;
import dev.ranker4j.hfio.safetensors.SafetensorsDtype;
import dev.ranker4j.hfio.safetensors.SafetensorsFile;
import dev.ranker4j.hfio.safetensors.SafetensorsWriter;
import dev.ranker4j.tensor.DType;
import dev.ranker4j.transformer.bert.BertModel;
import dev.ranker4j.transformer.bert.CheckpointException;
import dev.ranker4j.transformer.bert.SentenceEncoder;
import dev.ranker4j.transformer.ranking.CrossEncoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 16's "silently wrong" model loads, each now refused naming the file: a config.json with fewer layers than the
 * weights, a float weight stored with an integer dtype, a NaN weight, a cross-encoder directory without a head for
 * scoring; and what stays allowed: a student cut from a deeper teacher, a new head on a bare encoder for training.
 */
class CheckpointChecksTest {
    @TempDir
    Path dir;

    private static TransformerConfig config(int layers) throws Exception {
        return TransformerConfigJson.parse(Path.of("config.json"), """
                {"model_type": "bert", "vocab_size": 12, "hidden_size": 4, "num_hidden_layers": %d,
                 "num_attention_heads": 2, "intermediate_size": 8, "max_position_embeddings": 16,
                 "type_vocab_size": 2, "initializer_range": 0.5}""".formatted(layers));
    }

    /** Rewrites dir/model.safetensors with {@code change} applied to each entry. */
    private static void rewrite(Path directory, java.util.function.UnaryOperator<SafetensorsWriter.Entry> change) throws Exception {
        Path file = directory.resolve("model.safetensors");
        List<SafetensorsWriter.Entry> entries = new ArrayList<>();
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            for (String name : f.names()) {
                var info = f.info(name);
                entries.add(change.apply(new SafetensorsWriter.Entry(name, info.dtype(), info.shape(),
                        f.segment(name).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE))));
            }
        }
        SafetensorsWriter.write(file, Map.of("format", "pt"), entries);
    }

    @Test
    void aConfigWithFewerLayersThanTheWeightsIsRefused() throws Exception {
        BertModel.fromConfig(config(3), 1, DType.F32, false).save(dir);
        TransformerConfigJson.write(dir.resolve("config.json"), config(2));
        CheckpointException e = assertThrows(CheckpointException.class, () -> BertModel.load(dir));
        assertTrue(e.getMessage().contains("holds transformer layers up to 2 but config.json's num_hidden_layers is 2"), e.getMessage());
        assertTrue(e.getMessage().startsWith(dir.resolve("model.safetensors").toString()), e.getMessage());
        CheckpointException asCrossEncoder = assertThrows(CheckpointException.class,
                () -> CrossEncoder.load(dir, DType.F32, 0, 0, CrossEncoder.Head.NEW_IF_ENCODER_ONLY));
        assertTrue(asCrossEncoder.getMessage().contains("num_hidden_layers is 2"), asCrossEncoder.getMessage());
    }

    @Test
    void aStudentCutFromADeeperTeacherStaysAllowed() throws Exception {
        CrossEncoder.fromConfig(config(3), 1, DType.F32).save(dir);
        CrossEncoder student = CrossEncoder.load(dir, DType.F32, 0, 1, CrossEncoder.Head.FROM_CHECKPOINT);
        assertEquals(1, student.config().numLayers());
    }

    @Test
    void aFloatWeightStoredAsIntegersIsRefused() throws Exception {
        BertModel.fromConfig(config(1), 1, DType.F32, false).save(dir);
        rewrite(dir, e -> e.name().equals("embeddings.word_embeddings.weight")
                ? new SafetensorsWriter.Entry(e.name(), SafetensorsDtype.I32, e.shape(), e.littleEndianData()) : e);
        CheckpointException e = assertThrows(CheckpointException.class, () -> BertModel.load(dir));
        assertTrue(e.getMessage().contains("tensor 'embeddings.word_embeddings.weight' is stored as I32"), e.getMessage());
    }

    @Test
    void aNanWeightIsRefusedNamingTheTensorAndTheElement() throws Exception {
        BertModel.fromConfig(config(1), 1, DType.F32, false).save(dir);
        rewrite(dir, e -> {
            if (!e.name().equals("encoder.layer.0.output.dense.bias")) return e;
            byte[] data = e.littleEndianData().clone();
            ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).putFloat(4, Float.NaN);
            return new SafetensorsWriter.Entry(e.name(), e.dtype(), e.shape(), data);
        });
        CheckpointException e = assertThrows(CheckpointException.class, () -> SentenceEncoder.load(dir));
        assertTrue(e.getMessage().contains("tensor 'encoder.layer.0.output.dense.bias' holds NaN at [1]"), e.getMessage());
    }

    @Test
    void scoringNeedsTheDirectorysOwnHeadAndTrainingMayStartANewOne() throws Exception {
        BertModel.fromConfig(config(1), 1, DType.F32, false).save(dir);
        CheckpointException noHead = assertThrows(CheckpointException.class, () -> CrossEncoder.load(dir, DType.F32, 0));
        assertTrue(noHead.getMessage().contains("has no classification head (classifier.weight, classifier.bias): it holds"
                + " BertModel, not a cross-encoder"), noHead.getMessage());
        CrossEncoder fresh = CrossEncoder.load(dir, DType.F32, 0, 0, CrossEncoder.Head.NEW_IF_ENCODER_ONLY);
        assertEquals(List.of("bert.pooler.dense.weight", "bert.pooler.dense.bias", "classifier.weight", "classifier.bias"),
                fresh.initialisedParameters());
    }

    @Test
    void aClassificationCheckpointThatLostItsHeadIsNotGivenANewOneSilently() throws Exception {
        CrossEncoder.fromConfig(config(1), 1, DType.F32).save(dir);
        rewrite(dir, e -> e.name().startsWith("classifier.") ? new SafetensorsWriter.Entry("unrelated." + e.name(),
                e.dtype(), e.shape(), e.littleEndianData()) : e);
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> CrossEncoder.load(dir, DType.F32, 0, 0, CrossEncoder.Head.NEW_IF_ENCODER_ONLY));
        assertTrue(e.getMessage().contains("architectures say [BertForSequenceClassification] but the weights hold no"
                + " classification head"), e.getMessage());
        assertEquals(List.of("classifier.weight", "classifier.bias"),
                CrossEncoder.load(dir, DType.F32, 0, 0, CrossEncoder.Head.NEW).initialisedParameters());
        assertTrue(Files.isRegularFile(dir.resolve("config.json")));
    }
}
