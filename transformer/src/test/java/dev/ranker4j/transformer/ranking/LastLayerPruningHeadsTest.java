package dev.ranker4j.transformer.ranking;

import dev.ranker4j.autograd.NoGrad;
import dev.ranker4j.autograd.Variable;
import dev.ranker4j.autograd.nn.Module;
import dev.ranker4j.autograd.nn.Parameter;
import dev.ranker4j.hfio.keys.PoolingMode;
import dev.ranker4j.tensor.DType;
import dev.ranker4j.tensor.Tensor;
import dev.ranker4j.transformer.bert.BertInput;
import dev.ranker4j.transformer.bert.BertOutput;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ranking heads that read only h_[CLS] (BERT and DistilBERT cross-encoders, a CLS dual encoder) compute the last
 * layer for [CLS] alone ({@link dev.ranker4j.transformer.bert.LastLayerPruning}); with the switch off they run the
 * full layer. Both give the same scores (F64 within 1e-12, F32 within 1e-5) and, in F64, the same gradient for
 * every parameter, on padded batches.
 */
class LastLayerPruningHeadsTest {

    /** The scores of {@code scorer} (a [n] or [Q, P] tensor), with the pruning switch on and then off. */
    private record Compared(Tensor pruned, Tensor full) {}

    private static Compared scores(Supplier<Variable> scorer, java.util.function.Consumer<Boolean> pruning) {
        try (NoGrad ignored = NoGrad.enter()) {
            pruning.accept(true);
            Tensor pruned = scorer.get().value();
            pruning.accept(false);
            Tensor full = scorer.get().value();
            pruning.accept(true);
            return new Compared(pruned, full);
        }
    }

    private static void assertClose(Compared c, double tolerance) {
        assertArrayEquals(c.full().shape(), c.pruned().shape());
        double[] a = c.pruned().toDoubleArray(), b = c.full().toDoubleArray();
        for (int i = 0; i < a.length; i++) {
            assertTrue(Math.abs(a[i] - b[i]) <= tolerance * Math.max(1, Math.abs(b[i])), "score " + i + ": pruned " + a[i] + ", full " + b[i]);
        }
    }

    /** Every parameter's gradient of Σ w ⊙ scores, pruned and full, equal to 1e-12 of the largest gradient (F64). */
    private static void assertSameGradients(Module model, Supplier<Variable> scorer, java.util.function.Consumer<Boolean> pruning, long seed) {
        pruning.accept(false);
        Map<String, Tensor> full = gradients(model, scorer, seed);
        pruning.accept(true);
        Map<String, Tensor> pruned = gradients(model, scorer, seed);
        double largest = 0;
        for (Tensor g : full.values()) for (double x : g.toDoubleArray()) largest = Math.max(largest, Math.abs(x));
        assertTrue(largest > 0, "no gradient reached the parameters");
        for (Map.Entry<String, Tensor> e : full.entrySet()) {
            double[] a = e.getValue().toDoubleArray(), b = pruned.get(e.getKey()).toDoubleArray();
            for (int i = 0; i < a.length; i++) {
                assertTrue(Math.abs(a[i] - b[i]) <= 1e-12 * largest, e.getKey() + "[" + i + "]: full " + a[i] + ", pruned " + b[i]);
            }
        }
    }

    private static Map<String, Tensor> gradients(Module model, Supplier<Variable> scorer, long seed) {
        model.zeroGrad();
        Variable scores = scorer.get();
        int n = scores.value().numel();
        Tensor w = Tensor.fromArray(new SplittableRandom(seed).doubles(n, -1, 1).toArray(), scores.shape());
        scores.mul(Variable.constant(w)).sum(scores.rank() == 1 ? new int[] {0} : new int[] {0, 1}).backward();
        Map<String, Tensor> grads = new HashMap<>();
        for (Map.Entry<String, Parameter> e : model.namedParameters().entrySet()) {
            assertTrue(e.getValue().grad() != null, e.getKey() + ": no gradient");
            grads.put(e.getKey(), e.getValue().grad());
        }
        model.zeroGrad();
        return grads;
    }

    @Property(tries = 6)
    void crossEncodersScoreAndDifferentiateTheSameWithAndWithoutPruning(@ForAll @IntRange(min = 0, max = 1_000_000) int seed,
                                                                        @ForAll boolean bert) throws Exception {
        SplittableRandom r = new SplittableRandom(seed);
        BertInput pairs = RankingModelsTest.input(seed, 2 + r.nextInt(4), 3 + r.nextInt(7)); // rows padded by 0, 1 or 2
        CrossEncoder f64 = CrossEncoder.fromConfig(RankingModelsTest.config(bert ? "bert" : "distilbert"), seed, DType.F64);
        CrossEncoder f32 = CrossEncoder.fromConfig(RankingModelsTest.config(bert ? "bert" : "distilbert"), seed, DType.F32);
        f64.eval();
        f32.eval();
        assertClose(scores(() -> f64.score(pairs), f64::setLastLayerPruning), 1e-12);
        assertClose(scores(() -> f32.score(pairs), f32::setLastLayerPruning), 1e-5);
        assertSameGradients(f64, () -> f64.score(pairs), f64::setLastLayerPruning, seed);
    }

    @Property(tries = 4)
    void aClsDualEncoderScoresAndDifferentiatesTheSameWithAndWithoutPruning(@ForAll @IntRange(min = 0, max = 1_000_000) int seed,
                                                                           @ForAll boolean shared) throws Exception {
        SplittableRandom r = new SplittableRandom(seed);
        BertInput queries = RankingModelsTest.input(seed, 2 + r.nextInt(3), 3 + r.nextInt(4));
        BertInput passages = RankingModelsTest.input(seed + 1, 2 + r.nextInt(4), 4 + r.nextInt(6));
        DualEncoder f64 = DualEncoder.fromConfig(RankingModelsTest.config("bert"), seed, DType.F64, shared, PoolingMode.CLS, DualEncoderSimilarity.DOT);
        DualEncoder f32 = DualEncoder.fromConfig(RankingModelsTest.config("bert"), seed, DType.F32, shared, PoolingMode.CLS, DualEncoderSimilarity.COSINE);
        f64.eval();
        f32.eval();
        assertClose(scores(() -> f64.scoreMatrix(queries, passages), f64::setLastLayerPruning), 1e-12);
        assertClose(scores(() -> f32.scoreMatrix(queries, passages), f32::setLastLayerPruning), 1e-5);
        assertSameGradients(f64, () -> f64.scoreMatrix(queries, passages), f64::setLastLayerPruning, seed);
    }

    @Test
    void onlyClsReadersPruneAndOnlyWhenNothingElseIsRequested() throws Exception {
        BertInput input = RankingModelsTest.input(5, 3, 6);
        CrossEncoder cross = CrossEncoder.fromConfig(RankingModelsTest.config("distilbert"), 1, DType.F32);
        assertTrue(cross.lastLayerPruning());
        assertArrayEquals(new int[] {3, 1, 8}, cross.forward(input, BertOutput.Options.DEFAULT).encoderOutput().lastHiddenState().shape());
        assertArrayEquals(new int[] {3, 6, 8}, cross.forward(input, BertOutput.Options.ALL).encoderOutput().lastHiddenState().shape());
        cross.setLastLayerPruning(false);
        assertFalse(cross.lastLayerPruning());
        assertArrayEquals(new int[] {3, 6, 8}, cross.forward(input, BertOutput.Options.DEFAULT).encoderOutput().lastHiddenState().shape());

        DualEncoder cls = DualEncoder.fromConfig(RankingModelsTest.config("bert"), 2, DType.F32, true, PoolingMode.CLS, DualEncoderSimilarity.DOT);
        DualEncoder mean = DualEncoder.fromConfig(RankingModelsTest.config("bert"), 2, DType.F32, true, PoolingMode.MEAN, DualEncoderSimilarity.DOT);
        assertArrayEquals(new int[] {3, 1, 8}, cls.encodeQueries(input, BertOutput.Options.DEFAULT).encoderOutput().lastHiddenState().shape());
        assertArrayEquals(new int[] {3, 6, 8}, mean.encodeQueries(input, BertOutput.Options.DEFAULT).encoderOutput().lastHiddenState().shape());
    }
}
