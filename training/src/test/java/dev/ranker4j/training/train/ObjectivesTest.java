package dev.ranker4j.training.train;

import dev.ranker4j.autograd.nn.Module;
import dev.ranker4j.hfio.config.TransformerConfig;
import dev.ranker4j.hfio.config.TransformerConfigJson;
import dev.ranker4j.hfio.keys.PoolingMode;
import dev.ranker4j.tensor.DType;
import dev.ranker4j.tensor.Tensor;
import dev.ranker4j.training.distill.LayerMapping;
import dev.ranker4j.training.distill.RankerDistillationLoss;
import dev.ranker4j.training.optim.AdamW;
import dev.ranker4j.training.optim.Sgd;
import dev.ranker4j.transformer.ranking.Colbert;
import dev.ranker4j.transformer.ranking.ColbertInputs;
import dev.ranker4j.transformer.ranking.CrossEncoder;
import dev.ranker4j.transformer.ranking.DualEncoder;
import dev.ranker4j.transformer.ranking.DualEncoderSimilarity;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every seed method trains through the Trainer on tiny random models: a few steps on one repeated batch must lower
 * the loss (the gradient reaches every model it should), and the checkpoint holds what its format needs.
 */
class ObjectivesTest {

    private static <B> double[] firstAndLastLoss(Module model, Objective<B> objective, B batch, int steps, Path out) throws IOException {
        AdamW adamw = new AdamW(model.namedParameters(), 3e-3, 0.0);
        double first = objective.loss(batch).total().item();
        model.zeroGrad();
        Trainer<B> trainer = new Trainer<>(model, dir -> Files.writeString(dir.resolve("marker"), "x"), adamw, objective,
                index -> batch, new TrainerOptions(steps, 1, 0, null, 1, 0, 0, out, null, false));
        double last = trainer.train().lastLoss();
        return new double[] {first, last};
    }

    private static void assertDecreases(double[] losses) {
        assertTrue(Double.isFinite(losses[1]) && losses[1] < losses[0], "loss " + losses[0] + " -> " + losses[1]);
    }

    @Test
    void gradientCachedLceTrainsLikeThePlainLoss(@TempDir Path dir) throws IOException {
        CrossEncoder plain = CrossEncoder.fromConfig(TinyModels.config(0.0), 1, DType.F64);
        CrossEncoder cached = CrossEncoder.fromConfig(TinyModels.config(0.0), 1, DType.F64);
        BatchSource<PairBatch> data = index -> new PairBatch(TinyModels.input(20 + index, 3 * 4, 10, 2, true), 4, null);
        for (var pair : List.of(java.util.Map.entry(plain, 0), java.util.Map.entry(cached, 5))) {
            CrossEncoder model = pair.getKey();
            // Plain SGD, not AdamW: LCE is shift-invariant, so classifier.bias has an exactly zero gradient that both
            // runs hold only as ~1e-17 rounding noise; Adam divides that noise by its own magnitude and takes a full
            // learning-rate step in its sign, which would compare noise, not the gradient cache.
            new Trainer<>(model, d -> { }, new Sgd(model.namedParameters(), 1e-1, 0.0), new CrossEncoderLceObjective(model, pair.getValue()),
                    data, new TrainerOptions(2, 2, 1.0, null, 1, 0, 0, dir.resolve("run" + pair.getValue()), null, false)).train();
        }
        for (String name : plain.namedParameters().keySet()) {
            double[] a = plain.namedParameters().get(name).value().toDoubleArray(), b = cached.namedParameters().get(name).value().toDoubleArray();
            for (int i = 0; i < a.length; i++) assertTrue(Math.abs(a[i] - b[i]) <= 1e-12, name + "[" + i + "]: " + a[i] + " vs " + b[i]);
        }
    }

    /**
     * With dropout on, the cached gradient equals the gradient of the very function the first pass scored: the
     * reference scores the same chunks with a graph, restoring the generators the same way, and backpropagates once.
     */
    @Test
    void gradientCachingReplaysTheDropoutMasks() {
        CrossEncoder cached = CrossEncoder.fromConfig(TinyModels.config(0.3), 1, DType.F64);
        CrossEncoder reference = CrossEncoder.fromConfig(TinyModels.config(0.3), 1, DType.F64);
        cached.train();
        reference.train();
        PairBatch batch = new PairBatch(TinyModels.input(30, 3 * 4, 10, 2, true), 4, null);
        double value = new CrossEncoderLceObjective(cached, 5).loss(batch).total().item();

        List<dev.ranker4j.autograd.Variable> chunks = new ArrayList<>();
        for (int start = 0; start < 12; start += 5) {
            int end = Math.min(12, start + 5);
            var p = batch.pairs();
            chunks.add(reference.score(new dev.ranker4j.transformer.bert.BertInput(p.inputIds().narrow(0, start, end - start).contiguous(),
                    p.attentionMask().narrow(0, start, end - start).contiguous(), p.tokenTypeIds().narrow(0, start, end - start).contiguous())));
        }
        var loss = new dev.ranker4j.training.loss.LocalizedContrastiveLoss(4).compute(dev.ranker4j.autograd.Ops.concat(0, chunks));
        loss.backward();
        assertTrue(Math.abs(loss.item() - value) < 1e-13, loss.item() + " vs " + value);
        for (String name : reference.namedParameters().keySet()) {
            double[] a = reference.namedParameters().get(name).grad().toDoubleArray(), b = cached.namedParameters().get(name).grad().toDoubleArray();
            for (int i = 0; i < a.length; i++) assertTrue(Math.abs(a[i] - b[i]) <= 1e-12, name + "[" + i + "]: " + a[i] + " vs " + b[i]);
        }
        assertTrue(DropoutGenerators.states(cached).equals(DropoutGenerators.states(reference)), "the random streams advanced alike");
    }

    @Test
    void crossEncoderBce(@TempDir Path dir) throws IOException {
        CrossEncoder model = CrossEncoder.fromConfig(TinyModels.config(0.0), 1, DType.F32);
        PairBatch batch = new PairBatch(TinyModels.input(1, 6, 10, 2, true), 1, Tensor.fromArray(new float[] {1, 0, 1, 0, 0, 1}, 6));
        assertDecreases(firstAndLastLoss(model, new CrossEncoderBceObjective(model), batch, 5, dir));
    }

    @Test
    void tasBalancedWithAColbertTeacher(@TempDir Path dir) throws IOException {
        DualEncoder student = DualEncoder.fromConfig(TinyModels.config(0.0), 2, DType.F32, true, PoolingMode.CLS, DualEncoderSimilarity.DOT);
        Colbert teacher = Colbert.fromConfig(TinyModels.config(0.0), 8, 3, DType.F32);
        teacher.eval();
        int b = 3;
        List<long[]> queryIds = new ArrayList<>(), passageIds = new ArrayList<>();
        SplittableRandom r = new SplittableRandom(4);
        for (int i = 0; i < b; i++) queryIds.add(r.longs(6, 5, 60).toArray());
        for (int i = 0; i < 2 * b; i++) passageIds.add(r.longs(9, 5, 60).toArray());
        ColbertInputs markers = new ColbertInputs(3, 4, 1, 0, 2);
        TasBatch batch = new TasBatch(TinyModels.input(5, b, 8, 2, false), TinyModels.input(6, 2 * b, 12, 3, false),
                Tensor.fromArray(new float[] {3, 2, 4}, b), Tensor.fromArray(new float[] {1, 1, 0}, b), null,
                markers.queries(queryIds, 10), markers.documents(passageIds, 12));
        assertDecreases(firstAndLastLoss(student, new TasBalancedObjective(student, teacher, 0.75), batch, 5, dir));
    }

    @Test
    void rocketQaV2StepsBothModels(@TempDir Path dir) throws IOException {
        DualEncoder retriever = DualEncoder.fromConfig(TinyModels.config(0.0), 2, DType.F32, true, PoolingMode.CLS, DualEncoderSimilarity.DOT);
        CrossEncoder reranker = CrossEncoder.fromConfig(TinyModels.config(0.0), 3, DType.F32);
        RocketQaV2Objective objective = new RocketQaV2Objective(retriever, reranker);
        ListwiseBatch batch = new ListwiseBatch(TinyModels.input(7, 2, 8, 2, false), TinyModels.input(8, 8, 10, 3, false),
                TinyModels.input(9, 8, 14, 3, true), 4);
        float[] retrieverBefore = retriever.namedParameters().get("encoder.embeddings.word_embeddings.weight").value().toFloatArray();
        float[] rerankerBefore = reranker.namedParameters().get("classifier.weight").value().toFloatArray();
        assertDecreases(firstAndLastLoss(objective.jointModel(), objective, batch, 5, dir));
        assertTrue(!java.util.Arrays.equals(retrieverBefore, retriever.namedParameters().get("encoder.embeddings.word_embeddings.weight").value().toFloatArray()));
        assertTrue(!java.util.Arrays.equals(rerankerBefore, reranker.namedParameters().get("classifier.weight").value().toFloatArray()));
    }

    @Test
    void rocketQaV2StaticDistillationLeavesTheRerankerAlone(@TempDir Path dir) throws IOException {
        DualEncoder retriever = DualEncoder.fromConfig(TinyModels.config(0.0), 2, DType.F32, true, PoolingMode.CLS, DualEncoderSimilarity.DOT);
        CrossEncoder reranker = CrossEncoder.fromConfig(TinyModels.config(0.0), 3, DType.F32);
        RocketQaV2Objective objective = new RocketQaV2Objective(retriever, reranker, RocketQaV2Objective.Mode.STATIC);
        assertTrue(objective.jointModel() == retriever, "only the retriever is trained");
        ListwiseBatch batch = new ListwiseBatch(TinyModels.input(7, 2, 8, 2, false), TinyModels.input(8, 8, 10, 3, false),
                TinyModels.input(9, 8, 14, 3, true), 4);
        float[] rerankerBefore = reranker.namedParameters().get("classifier.weight").value().toFloatArray();
        assertDecreases(firstAndLastLoss(objective.jointModel(), objective, batch, 5, dir));
        for (var p : reranker.namedParameters().values()) assertTrue(p.grad() == null, "no gradient reaches the frozen re-ranker");
        assertTrue(java.util.Arrays.equals(rerankerBefore, reranker.namedParameters().get("classifier.weight").value().toFloatArray()));
    }

    @Test
    void rocketQaV2WithoutDistillationIsTheRetrieversListwiseCrossEntropy(@TempDir Path dir) throws IOException {
        DualEncoder retriever = DualEncoder.fromConfig(TinyModels.config(0.0), 2, DType.F32, true, PoolingMode.CLS, DualEncoderSimilarity.DOT);
        RocketQaV2Objective objective = new RocketQaV2Objective(retriever, null, RocketQaV2Objective.Mode.NONE);
        ListwiseBatch batch = new ListwiseBatch(TinyModels.input(7, 2, 8, 2, false), TinyModels.input(8, 8, 10, 3, false),
                TinyModels.input(9, 8, 14, 3, true), 4);
        Objective.Loss loss = objective.loss(batch);
        assertTrue(loss.parts().get("loss_kl") == 0.0, "no distillation term");
        assertTrue(Math.abs(loss.total().item() - loss.parts().get("loss_sup")) < 1e-12);
        retriever.zeroGrad();
        assertDecreases(firstAndLastLoss(objective.jointModel(), objective, batch, 5, dir));
    }

    @Test
    void colbertTrainsWithLceOnGroups(@TempDir Path dir) throws IOException {
        Colbert model = Colbert.fromConfig(TinyModels.config(0.0), 8, 3, DType.F32);
        model.train();
        SplittableRandom r = new SplittableRandom(4);
        List<long[]> queryIds = new ArrayList<>(), passageIds = new ArrayList<>();
        for (int q = 0; q < 2; q++) {
            long[] query = r.longs(6, 5, 60).toArray();
            query[0] = 2;
            for (int g = 0; g < 4; g++) {
                queryIds.add(query);
                long[] passage = r.longs(9, 5, 60).toArray();
                passage[0] = 2;
                passageIds.add(passage);
            }
        }
        ColbertInputs markers = new ColbertInputs(3, 4, 1, 0, 2);
        ColbertBatch batch = new ColbertBatch(markers.queries(queryIds, 10), markers.documents(passageIds, 12), 4);
        assertTrue(batch.groups() == 2);
        assertDecreases(firstAndLastLoss(model, new ColbertLceObjective(model), batch, 6, dir));
    }

    @Test
    void bceOnGroupsLabelsEachGroupsFirstRowPositive(@TempDir Path dir) throws IOException {
        CrossEncoder model = CrossEncoder.fromConfig(TinyModels.config(0.0), 1, DType.F64);
        PairBatch grouped = new PairBatch(TinyModels.input(1, 6, 10, 2, true), 3, null);
        PairBatch labelled = new PairBatch(grouped.pairs(), 1, Tensor.fromArray(new double[] {1, 0, 0, 1, 0, 0}, 6));
        CrossEncoderBceObjective objective = new CrossEncoderBceObjective(model);
        model.eval();
        assertTrue(objective.loss(grouped).total().item() == objective.loss(labelled).total().item());
    }

    @Test
    void tasBalancedWithoutAnInBatchTeacherIsPairwiseMarginMse(@TempDir Path dir) throws IOException {
        DualEncoder student = DualEncoder.fromConfig(TinyModels.config(0.0), 2, DType.F32, true, PoolingMode.MEAN, DualEncoderSimilarity.DOT);
        int b = 3;
        TasBatch batch = new TasBatch(TinyModels.input(5, b, 8, 2, false), TinyModels.input(6, 2 * b, 12, 3, false),
                Tensor.fromArray(new float[] {3, 2, 4}, b), Tensor.fromArray(new float[] {1, 1, 0}, b), null, null, null);
        TasBalancedObjective objective = new TasBalancedObjective(student, null, 0);
        Objective.Loss loss = objective.loss(batch);
        assertTrue(loss.parts().get("loss_inbatch") == 0.0 && loss.total().item() == loss.parts().get("loss_pair"));
        student.zeroGrad();
        assertDecreases(firstAndLastLoss(student, objective, batch, 5, dir));
    }

    @Test
    void rankerDistillationIntoASmallerRandomStudent(@TempDir Path dir) throws Exception {
        CrossEncoder teacher = CrossEncoder.fromConfig(TinyModels.config(0.0), 4, DType.F32);
        TransformerConfig small = TransformerConfigJson.parse(Path.of("student.json"), """
                {"model_type": "bert", "vocab_size": 64, "hidden_size": 8, "num_hidden_layers": 1, "num_attention_heads": 2,
                 "intermediate_size": 16, "max_position_embeddings": 32, "type_vocab_size": 2, "hidden_dropout_prob": 0.0,
                 "attention_probs_dropout_prob": 0.0, "initializer_range": 0.05}""");
        CrossEncoder student = CrossEncoder.fromConfig(small, 5, DType.F32);
        RankerDistillationLoss loss = new RankerDistillationLoss(new RankerDistillationLoss.Weights(1, 1, 1,
                RankerDistillationLoss.ScoreLoss.KL, 2.0, 4), LayerMapping.uniform(1, 2), 8, 16, 6, DType.F32);
        RankerDistillationObjective objective = new RankerDistillationObjective(student, teacher, loss);
        PairBatch batch = new PairBatch(TinyModels.input(10, 8, 12, 3, true), 4, null);
        assertTrue(objective.trainableModel().namedParameters().containsKey("distillation.hidden_projection.weight"));
        assertDecreases(firstAndLastLoss(objective.trainableModel(), objective, batch, 6, dir));
    }

    @Test
    void dualEncoderSavesASentenceTransformersDirectory(@TempDir Path dir) throws IOException {
        DualEncoder model = DualEncoder.fromConfig(TinyModels.config(0.0), 2, DType.F32, true, PoolingMode.MEAN, DualEncoderSimilarity.COSINE);
        model.save(dir);
        for (String file : List.of("model.safetensors", "config.json", "modules.json", "1_Pooling/config.json")) {
            assertTrue(Files.isRegularFile(dir.resolve(file)), file);
        }
        DualEncoder loaded = DualEncoder.load(dir, DType.F32, PoolingMode.CLS, DualEncoderSimilarity.DOT);
        assertTrue(loaded.pooling() == PoolingMode.MEAN && loaded.similarity() == DualEncoderSimilarity.COSINE && loaded.sharedTowers());
        model.eval();
        var q = TinyModels.input(1, 2, 6, 1, false);
        var p = TinyModels.input(2, 3, 8, 2, false);
        assertTrue(java.util.Arrays.equals(model.scoreMatrix(q, p).value().toFloatArray(), loaded.scoreMatrix(q, p).value().toFloatArray()));
    }
}
