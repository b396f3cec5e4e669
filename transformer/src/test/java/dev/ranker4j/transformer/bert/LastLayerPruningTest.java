package dev.ranker4j.transformer.bert;

import dev.ranker4j.autograd.Variable;
import dev.ranker4j.autograd.nn.Dropout;
import dev.ranker4j.autograd.nn.Linear;
import dev.ranker4j.autograd.nn.Module;
import dev.ranker4j.autograd.nn.Parameter;
import dev.ranker4j.tensor.DType;
import dev.ranker4j.tensor.SeededRandom;
import dev.ranker4j.tensor.Tensor;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Computing the last layer for the first n positions only ({@link BertOutput.Options#outputPositions()}) gives
 * exactly the first n positions of the full computation, and exactly the same gradient for every parameter.
 */
class LastLayerPruningTest {

    /** A padded batch: random ids, each row's real length random in [1, seq], then padding. */
    static BertInput randomPaddedBatch(SplittableRandom r, int rows, int seq, int vocabulary) {
        long[] ids = new long[rows * seq], mask = new long[rows * seq], types = new long[rows * seq];
        for (int row = 0; row < rows; row++) {
            int length = 1 + r.nextInt(seq);
            for (int j = 0; j < seq; j++) {
                boolean real = j < length;
                ids[row * seq + j] = real ? 1 + r.nextInt(vocabulary - 1) : 0;
                mask[row * seq + j] = real ? 1 : 0;
                types[row * seq + j] = real && j >= length / 2 ? 1 : 0;
            }
        }
        return new BertInput(Tensor.fromArray(ids, rows, seq), Tensor.fromArray(mask, rows, seq), Tensor.fromArray(types, rows, seq));
    }

    private static HfEncoder tinyEncoder(boolean bert, long seed) {
        HfEncoder model = bert ? BertModel.fromConfig(TinyConfigs.bert("gelu"), seed, DType.F64, true)
                : DistilBertModel.fromConfig(TinyConfigs.distilBert(), seed, DType.F64);
        model.eval();
        return model;
    }

    /** Σ w ⊙ (the first n positions of the last hidden state) + Σ w' ⊙ pooled, fixed random weights. */
    private static Variable weightedReadout(BertOutput out, int n, long seed) {
        Variable rows = out.lastHiddenState().narrow(1, 0, n);
        Variable loss = rows.mul(Variable.constant(weights(rows.shape(), seed))).sum(0, 1, 2);
        if (out.pooled() == null) return loss;
        return loss.add(out.pooled().mul(Variable.constant(weights(out.pooled().shape(), seed + 1))).sum(0, 1));
    }

    private static Tensor weights(int[] shape, long seed) {
        int n = 1;
        for (int s : shape) n *= s;
        return Tensor.fromArray(new SplittableRandom(seed).doubles(n, -1, 1).toArray(), shape);
    }

    private static Map<String, Tensor> gradients(Module model) {
        Map<String, Tensor> grads = new HashMap<>();
        for (Map.Entry<String, Parameter> e : model.namedParameters().entrySet()) grads.put(e.getKey(), e.getValue().grad());
        model.zeroGrad();
        return grads;
    }

    static void assertSameGradients(Map<String, Tensor> expected, Map<String, Tensor> actual) {
        double largest = 0;
        for (Tensor g : expected.values()) if (g != null) largest = Math.max(largest, maxAbs(g));
        for (Map.Entry<String, Tensor> e : expected.entrySet()) {
            Tensor a = actual.get(e.getKey());
            assertTrue(e.getValue() != null && a != null, e.getKey() + ": a gradient is missing");
            double diff = BertModelTest.maxAbsDiff(e.getValue(), a);
            assertTrue(diff <= 1e-12 * largest, e.getKey() + ": gradients differ by " + diff + " (largest gradient " + largest + ")");
        }
    }

    private static double maxAbs(Tensor t) {
        double m = 0;
        for (double x : t.toDoubleArray()) m = Math.max(m, Math.abs(x));
        return m;
    }

    @Property(tries = 12)
    void theFirstPositionsAndEveryGradientEqualTheFullLastLayer(@ForAll @IntRange(min = 0, max = 1_000_000) int seed,
                                                                @ForAll boolean bert) {
        SplittableRandom r = new SplittableRandom(seed);
        int rows = 1 + r.nextInt(3), seq = 2 + r.nextInt(6), positions = 1 + r.nextInt(seq + 1); // seq + 1: more than there are
        int kept = Math.min(positions, seq);
        HfEncoder model = tinyEncoder(bert, seed);
        BertInput input = randomPaddedBatch(r, rows, seq, model.config().vocabSize());

        BertOutput full = model.forward(input, BertOutput.Options.DEFAULT);
        weightedReadout(full, kept, seed).backward();
        Map<String, Tensor> fullGradients = gradients(model);
        BertOutput pruned = model.forward(input, new BertOutput.Options(false, false, positions));
        weightedReadout(pruned, kept, seed).backward();
        Map<String, Tensor> prunedGradients = gradients(model);

        assertArrayEquals(new int[] {rows, kept, model.config().hiddenSize()}, pruned.lastHiddenState().shape());
        assertTrue(BertModelTest.maxAbsDiff(full.lastHiddenState().narrow(1, 0, kept).value(), pruned.lastHiddenState().value()) <= 1e-12);
        if (bert) assertTrue(BertModelTest.maxAbsDiff(full.pooled().value(), pruned.pooled().value()) <= 1e-12);
        assertSameGradients(fullGradients, prunedGradients);
    }

    /**
     * The composed attention (probabilities kept; what training with attention dropout runs) with fewer queries
     * than keys: its context and probability rows are the full computation's first rows, and the fused op agrees.
     */
    @Property(tries = 10)
    void attentionWithLeadingQueriesEqualsTheFullAttentionsFirstRows(@ForAll @IntRange(min = 0, max = 1_000_000) int seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int batch = 1 + r.nextInt(3), seq = 2 + r.nextInt(5), n = 1 + r.nextInt(seq - 1), heads = 1 + r.nextInt(2), hidden = heads * (1 + r.nextInt(3));
        SeededRandom init = new SeededRandom(seed);
        Linear query = new Linear(hidden, hidden, true, 0.5, init, DType.F64), key = new Linear(hidden, hidden, true, 0.5, init, DType.F64),
                value = new Linear(hidden, hidden, true, 0.5, init, DType.F64);
        Dropout noDropout = new Dropout(0, init);
        Variable h = Variable.constant(weights(new int[] {batch * seq, hidden}, seed));
        Tensor mask = randomPaddedBatch(r, batch, seq, 10).additiveMask(DType.F64);

        MultiHeadAttention.Result full = MultiHeadAttention.selfAttend(h, query, key, value, batch, seq, seq, heads, mask, noDropout, true);
        MultiHeadAttention.Result composed = MultiHeadAttention.selfAttend(h, query, key, value, batch, seq, n, heads, mask, noDropout, true);
        MultiHeadAttention.Result fused = MultiHeadAttention.selfAttend(h, query, key, value, batch, seq, n, heads, mask, noDropout, false);

        Tensor expected = full.context().value().reshape(batch, seq, hidden).narrow(1, 0, n).reshape(batch * n, hidden);
        assertTrue(BertModelTest.maxAbsDiff(expected, composed.context().value()) <= 1e-12);
        assertTrue(BertModelTest.maxAbsDiff(expected, fused.context().value()) <= 1e-12);
        assertArrayEquals(new int[] {batch, heads, n, seq}, composed.probabilities().shape());
        assertTrue(BertModelTest.maxAbsDiff(full.probabilities().value().narrow(2, 0, n), composed.probabilities().value()) <= 1e-12);
    }

    @Test
    void fewerPositionsCannotBeCombinedWithHiddenStatesOrAttentions() {
        assertThrows(IllegalArgumentException.class, () -> new BertOutput.Options(true, false, 1));
        assertThrows(IllegalArgumentException.class, () -> new BertOutput.Options(false, true, 1));
        assertThrows(IllegalArgumentException.class, () -> new BertOutput.Options(false, false, 0));
    }

    @Test
    void theSwitchKeepsRequestsForHiddenStatesAndAttentionsWhole() {
        BertOutput.Options hidden = new BertOutput.Options(true, false);
        assertTrue(LastLayerPruning.firstTokenOnly(hidden, true) == hidden);
        assertTrue(LastLayerPruning.firstTokenOnly(BertOutput.Options.ALL, true) == BertOutput.Options.ALL);
        assertTrue(LastLayerPruning.firstTokenOnly(BertOutput.Options.DEFAULT, true) == BertOutput.Options.FIRST_TOKEN);
        assertTrue(LastLayerPruning.firstTokenOnly(BertOutput.Options.DEFAULT, false) == BertOutput.Options.DEFAULT);
    }
}
