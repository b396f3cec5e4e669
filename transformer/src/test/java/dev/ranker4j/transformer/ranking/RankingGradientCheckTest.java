package dev.ranker4j.transformer.ranking;

import dev.ranker4j.autograd.check.GradCheck;
import dev.ranker4j.autograd.nn.Module;
import dev.ranker4j.autograd.nn.Parameter;
import dev.ranker4j.hfio.keys.PoolingMode;
import dev.ranker4j.tensor.DType;
import dev.ranker4j.transformer.bert.BertInput;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Finite-difference checks of every head's parameters (F64, dropout off): the heads add no gradient mistakes. */
class RankingGradientCheckTest {

    /** The head's own parameters and one encoder matrix; the encoder's gradients are checked in the bert package. */
    private static Map<String, Parameter> headAnd(Module model, String... names) {
        Map<String, Parameter> selected = new LinkedHashMap<>();
        for (String name : names) selected.put(name, model.namedParameters().get(name));
        return selected;
    }

    private static void check(Map<String, Parameter> parameters, java.util.function.Supplier<dev.ranker4j.autograd.Variable> f) {
        GradCheck.Report report = GradCheck.checkParameters(parameters, f, GradCheck.Options.DEFAULT.withTolerances(1e-7, 1e-5));
        assertTrue(report.passed(), report::toString);
    }

    @Test
    void crossEncoderBertAndDistilBertHeads() throws Exception {
        BertInput input = RankingModelsTest.input(1, 3, 6);
        CrossEncoder bert = CrossEncoder.fromConfig(RankingModelsTest.config("bert"), 1, DType.F64);
        bert.eval();
        check(headAnd(bert, "classifier.weight", "classifier.bias", "bert.pooler.dense.weight", "bert.encoder.layer.1.output.dense.weight"),
                () -> bert.score(input));
        CrossEncoder distil = CrossEncoder.fromConfig(RankingModelsTest.config("distilbert"), 2, DType.F64);
        distil.eval();
        check(headAnd(distil, "classifier.weight", "pre_classifier.weight", "pre_classifier.bias", "distilbert.transformer.layer.1.ffn.lin2.weight"),
                () -> distil.score(input));
    }

    @Test
    void dualEncoderWithMeanPoolingAndCosine() throws Exception {
        DualEncoder model = DualEncoder.fromConfig(RankingModelsTest.config("bert"), 3, DType.F64, false, PoolingMode.MEAN, DualEncoderSimilarity.COSINE);
        model.eval();
        BertInput q = RankingModelsTest.input(2, 2, 5), p = RankingModelsTest.input(3, 3, 7);
        check(headAnd(model, "query_encoder.encoder.layer.1.output.dense.weight", "passage_encoder.encoder.layer.1.output.dense.weight"),
                () -> model.scoreMatrix(q, p));
    }

    @Test
    void colbertMaxSim() throws Exception {
        Colbert model = Colbert.fromConfig(RankingModelsTest.config("bert"), 4, 5, DType.F64);
        model.eval();
        BertInput q = new ColbertInputs(1, 2, 40, 0, 3).queries(List.of(new long[] {2, 7, 8, 3}, new long[] {2, 9, 3}), 6);
        BertInput d = RankingModelsTest.input(6, 2, 7);
        check(headAnd(model, "linear.weight", "bert.encoder.layer.1.output.dense.weight"), () -> model.score(q, d));
    }
}
