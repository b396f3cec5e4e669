package dev.ranker4j.transformer.bert;

import dev.ranker4j.autograd.NoGrad;
import dev.ranker4j.autograd.check.GradCheck;
import dev.ranker4j.autograd.nn.Parameter;
import dev.ranker4j.hfio.keys.CheckpointKeyException;
import dev.ranker4j.hfio.safetensors.SafetensorsFile;
import dev.ranker4j.tensor.DType;
import dev.ranker4j.tensor.Tensor;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The BERT and DistilBERT encoders on tiny configs: gradients, precision, padding, save/load, errors. */
class BertModelTest {

    @Test
    void bertGradientsPassFiniteDifferenceCheckInF64() {
        for (String activation : List.of("gelu", "gelu_new")) {
            BertModel model = BertModel.fromConfig(TinyConfigs.bert(activation), 3, DType.F64, true);
            model.eval();
            BertInput input = TinyConfigs.paddedBatch();
            GradCheck.Report report = GradCheck.checkParameters(model.namedParameters(), () -> {
                BertOutput out = model.forward(input);
                return out.lastHiddenState().sum(new int[] {2}, false).add(out.pooled().sum(new int[] {1}, false).unsqueeze(1));
            }, GradCheck.Options.DEFAULT);
            assertTrue(report.passed(), activation + ": " + report);
        }
    }

    @Test
    void distilBertGradientsPassFiniteDifferenceCheckInF64() {
        DistilBertModel model = DistilBertModel.fromConfig(TinyConfigs.distilBert(), 4, DType.F64);
        model.eval();
        BertInput input = TinyConfigs.paddedBatch();
        GradCheck.Report report = GradCheck.checkParameters(model.namedParameters(),
                () -> model.forward(input).lastHiddenState(), GradCheck.Options.DEFAULT);
        assertTrue(report.passed(), report.toString());
    }

    @Test
    void float32AgreesWithFloat64() {
        BertModel f32 = BertModel.fromConfig(TinyConfigs.bert("gelu"), 5, DType.F32, true);
        BertModel f64 = BertModel.fromConfig(TinyConfigs.bert("gelu"), 5, DType.F32, true);
        f64.to(DType.F64);
        f32.eval();
        f64.eval();
        try (NoGrad ignored = NoGrad.enter()) {
            BertOutput a = f32.forward(TinyConfigs.paddedBatch(), BertOutput.Options.ALL);
            BertOutput b = f64.forward(TinyConfigs.paddedBatch(), BertOutput.Options.ALL);
            assertEquals(DType.F32, a.lastHiddenState().dtype());
            assertEquals(DType.F64, b.lastHiddenState().dtype());
            assertTrue(maxAbsDiff(a.lastHiddenState().value(), b.lastHiddenState().value()) < 1e-5);
            assertTrue(maxAbsDiff(a.pooled().value(), b.pooled().value()) < 1e-5);
            assertTrue(maxAbsDiff(a.attentions().get(1).value(), b.attentions().get(1).value()) < 1e-6);
        }
    }

    @Test
    void paddingDoesNotChangeRealTokens() {
        BertModel model = BertModel.fromConfig(TinyConfigs.bert("gelu"), 6, DType.F64, true);
        model.eval();
        BertInput padded = TinyConfigs.paddedBatch();
        BertInput alone = new BertInput(padded.inputIds().narrow(0, 1, 1).narrow(1, 0, 3).contiguous(),
                padded.attentionMask().narrow(0, 1, 1).narrow(1, 0, 3).contiguous(),
                padded.tokenTypeIds().narrow(0, 1, 1).narrow(1, 0, 3).contiguous());
        try (NoGrad ignored = NoGrad.enter()) {
            BertOutput p = model.forward(padded, BertOutput.Options.ALL), a = model.forward(alone, BertOutput.Options.ALL);
            Tensor realPart = p.lastHiddenState().value().narrow(0, 1, 1).narrow(1, 0, 3);
            assertTrue(maxAbsDiff(realPart, a.lastHiddenState().value()) < 1e-12);
            Tensor probabilities = p.attentions().getFirst().value();            // [2, heads, 5, 5]
            for (int h = 0; h < 2; h++) {
                for (int q = 0; q < 5; q++) {
                    assertEquals(0.0, probabilities.get(1, h, q, 3), "row 1 attends to padding");
                    assertEquals(0.0, probabilities.get(1, h, q, 4), "row 1 attends to padding");
                    double sum = 0;
                    for (int k = 0; k < 5; k++) sum += probabilities.get(1, h, q, k);
                    assertEquals(1.0, sum, 1e-12);
                }
            }
        }
    }

    @Test
    void outputsHaveTheDocumentedShapes() {
        BertModel model = BertModel.fromConfig(TinyConfigs.bert("gelu"), 7);
        BertOutput out = model.forward(TinyConfigs.paddedBatch(), BertOutput.Options.ALL);
        assertArrayEquals(new int[] {2, 5, 8}, out.lastHiddenState().shape());
        assertArrayEquals(new int[] {2, 8}, out.pooled().shape());
        assertEquals(3, out.hiddenStates().size());
        assertArrayEquals(new int[] {2, 2, 5, 5}, out.attentions().get(1).shape());
        assertTrue(out.lastHiddenState().requiresGrad(), "outside NoGrad a graph is recorded");
        assertSame(out.lastHiddenState().value().storage(), out.hiddenStates().get(2).value().storage());
        try (NoGrad ignored = NoGrad.enter()) {
            assertFalse(model.forward(TinyConfigs.paddedBatch()).lastHiddenState().requiresGrad());
        }
        assertTrue(model.forward(TinyConfigs.paddedBatch()).hiddenStates().isEmpty());
    }

    @Test
    void inferenceFastPathsGiveTheRecordedForwardsValues() {
        // Under NoGrad the layers use the fused attention kernel and overwrite the FFN activation in place; with a
        // graph and the probabilities requested they use the composed ops. Both must give the same hidden states.
        for (String activation : List.of("gelu", "gelu_new", "relu")) {
            BertModel model = BertModel.fromConfig(TinyConfigs.bert(activation), 14, DType.F64, true);
            model.eval();
            BertOutput recorded = model.forward(TinyConfigs.paddedBatch(), BertOutput.Options.ALL);
            try (NoGrad ignored = NoGrad.enter()) {
                BertOutput fast = model.forward(TinyConfigs.paddedBatch());
                assertTrue(maxAbsDiff(recorded.lastHiddenState().value(), fast.lastHiddenState().value()) < 1e-12, activation);
                assertTrue(maxAbsDiff(recorded.pooled().value(), fast.pooled().value()) < 1e-12, activation);
            }
        }
        DistilBertModel distil = DistilBertModel.fromConfig(TinyConfigs.distilBert(), 15, DType.F64);
        distil.eval();
        BertOutput recorded = distil.forward(TinyConfigs.paddedBatch(), BertOutput.Options.ALL);
        try (NoGrad ignored = NoGrad.enter()) {
            assertTrue(maxAbsDiff(recorded.lastHiddenState().value(),
                    distil.forward(TinyConfigs.paddedBatch(), BertOutput.Options.DEFAULT).lastHiddenState().value()) < 1e-12);
        }
    }

    @Test
    void initialisationFollowsHuggingFace() {
        BertModel model = BertModel.fromConfig(TinyConfigs.bert("gelu"), 8);
        Map<String, Parameter> p = model.namedParameters();
        Tensor word = p.get("embeddings.word_embeddings.weight").value();
        for (int j = 0; j < 8; j++) assertEquals(0.0, word.get(0, j), "padding row");
        assertEquals(0.0, p.get("encoder.layer.1.intermediate.dense.bias").value().abs().max().item());
        assertEquals(1.0, p.get("encoder.layer.0.output.LayerNorm.weight").value().min().item());
        double std = p.get("encoder.layer.0.intermediate.dense.weight").value().square().mean().sqrt().item();
        assertEquals(0.5, std, 0.15, "weights ~ N(0, initializer_range²)");
        assertTrue(p.containsKey("pooler.dense.weight"));
        assertEquals(List.of("embeddings.word_embeddings.weight", "embeddings.position_embeddings.weight",
                "embeddings.token_type_embeddings.weight", "embeddings.LayerNorm.weight", "embeddings.LayerNorm.bias",
                "encoder.layer.0.attention.self.query.weight"), p.keySet().stream().limit(6).toList());
    }

    @Test
    void saveThenLoadGivesTheSameModel(@TempDir Path dir) throws Exception {
        BertModel model = BertModel.fromConfig(TinyConfigs.bert("gelu"), 9);
        model.save(dir.resolve("bert"));
        BertModel loaded = BertModel.load(dir.resolve("bert"));
        assertTrue(loaded.hasPooler());
        assertTrue(loaded.loadReport().missing().isEmpty() && loaded.loadReport().unexpected().isEmpty());
        model.eval();
        try (NoGrad ignored = NoGrad.enter()) {
            assertEquals(0.0, maxAbsDiff(model.forward(TinyConfigs.paddedBatch()).pooled().value(),
                    loaded.forward(TinyConfigs.paddedBatch()).pooled().value()));
        }
        DistilBertModel distil = DistilBertModel.fromConfig(TinyConfigs.distilBert(), 10);
        distil.save(dir.resolve("distil"));
        DistilBertModel distilLoaded = DistilBertModel.load(dir.resolve("distil"));
        distil.eval();
        try (NoGrad ignored = NoGrad.enter()) {
            assertEquals(0.0, maxAbsDiff(distil.forward(TinyConfigs.paddedBatch()).lastHiddenState().value(),
                    distilLoaded.forward(TinyConfigs.paddedBatch()).lastHiddenState().value()));
        }
        assertTrue(Files.readString(dir.resolve("distil/config.json")).contains("\"DistilBertModel\""));
    }

    @Test
    void poolerFollowsTheCheckpointUnlessAsked(@TempDir Path dir) throws Exception {
        BertModel.fromConfig(TinyConfigs.bert("gelu"), 11, DType.F32, false).save(dir);
        assertFalse(BertModel.load(dir).hasPooler());
        BertModel withPooler = BertModel.load(dir, LoadOptions.DEFAULT.withPooler(LoadOptions.PoolerChoice.ALWAYS));
        assertTrue(withPooler.hasPooler());
        assertEquals(List.of("pooler.dense.weight", "pooler.dense.bias"), withPooler.loadReport().missing());
        // Loading draws no weight it then overwrites; the missing pooler alone is initialised (N(0, std²), bias 0),
        // and no parameter is left holding its placeholder.
        withPooler.namedParameters().forEach((name, p) ->
                assertTrue(p.value().isContiguous() && p.value().storage().length() == p.value().numel(), name + " is a real array"));
        float[] poolerWeight = withPooler.namedParameters().get("pooler.dense.weight").value().toFloatArray();
        double sumSquares = 0;
        for (float w : poolerWeight) sumSquares += w * w;
        double std = Math.sqrt(sumSquares / poolerWeight.length), expected = TinyConfigs.bert("gelu").initializerRange();
        assertTrue(Math.abs(std - expected) < 0.3 * expected, "pooler weight std " + std + ", initializer_range " + expected);
        for (float b : withPooler.namedParameters().get("pooler.dense.bias").value().toFloatArray()) assertEquals(0f, b);
    }

    @Test
    void aMissingRequiredWeightFailsNamingIt(@TempDir Path dir) throws Exception {
        BertModel.fromConfig(TinyConfigs.bert("gelu"), 12, DType.F32, false).save(dir);
        DistilBertModel.fromConfig(TinyConfigs.distilBert(), 1).save(dir.resolve("other"));
        // weights of a DistilBERT under a BERT config: nothing matches
        Files.copy(dir.resolve("other/model.safetensors"), dir.resolve("model.safetensors"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        CheckpointKeyException e = assertThrows(CheckpointKeyException.class, () -> BertModel.load(dir));
        assertTrue(e.getMessage().contains("embeddings.token_type_embeddings.weight"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BertModel.fromConfig(TinyConfigs.distilBert(), 1));
    }

    @Test
    void badInputsAreRefusedWithTheirField() {
        BertModel model = BertModel.fromConfig(TinyConfigs.bert("gelu"), 13);
        Tensor ids = Tensor.fromArray(new long[] {2, 99}, 1, 2), mask = Tensor.fromArray(new long[] {1, 1}, 1, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.forward(new BertInput(ids, mask, null)));
        assertTrue(e.getMessage().contains("inputIds[0, 1] = 99"), e.getMessage());
        Tensor longIds = Tensor.zeros(DType.I64, 1, 17);
        e = assertThrows(IllegalArgumentException.class, () -> model.forward(new BertInput(longIds, Tensor.ones(DType.I64, 1, 17), null)));
        assertTrue(e.getMessage().contains("max_position_embeddings 16"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new BertInput(ids, Tensor.ones(DType.I64, 1, 3), null));
    }

    @Test
    void loadWeightsReportsExtraKeysAsUnexpected(@TempDir Path dir) throws Exception {
        BertModel source = BertModel.fromConfig(TinyConfigs.bert("gelu"), 14);
        source.save(dir);
        BertModel target = BertModel.fromConfig(TinyConfigs.bert("gelu"), 15, DType.F32, false);
        try (SafetensorsFile weights = SafetensorsFile.open(dir)) {
            assertEquals(List.of("pooler.dense.weight", "pooler.dense.bias"), target.loadWeights(weights, List.of()).unexpected());
        }
        assertEquals(0.0, maxAbsDiff(source.namedParameters().get("encoder.layer.1.output.dense.weight").value(),
                target.namedParameters().get("encoder.layer.1.output.dense.weight").value()));
    }

    static double maxAbsDiff(Tensor a, Tensor b) {
        return a.to(DType.F64).sub(b.to(DType.F64)).abs().max().item();
    }

}
