package dev.ranker4j.autograd;

import dev.ranker4j.kernels.AttentionDropout;
import dev.ranker4j.tensor.SeededRandom;
import dev.ranker4j.tensor.Tensor;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fused ops (one kernel forward, one backward) give the same values and gradients as the same functions
 * composed from primitive ops, whose gradients follow from the chain rule alone (tinygrad's lesson).
 */
class FusedVersusComposedTest {

    /** softmax(x + mask) = exp(z − max z) / Σ exp(z − max z), composed. */
    private static Variable composedSoftmax(Variable x, Tensor mask, boolean log) {
        Variable z = mask == null ? x : x.add(Variable.constant(mask));
        Variable shifted = z.sub(z.max(new int[] {-1}, true).detach()); // the shift cancels: no gradient needed
        Variable logSum = shifted.exp().sum(new int[] {-1}, true).log();
        Variable logSoftmax = shifted.sub(logSum);
        return log ? logSoftmax : logSoftmax.exp();
    }

    /** (x − mean) / √(var + eps) · gamma + beta, composed. */
    private static Variable composedLayerNorm(Variable x, Variable gamma, Variable beta, double eps) {
        Variable centered = x.sub(x.mean(new int[] {-1}, true));
        Variable std = x.var(new int[] {-1}, 0, true).add(eps).sqrt();
        return centered.div(std).mul(gamma).add(beta);
    }

    @Property(tries = 20)
    void fusedSoftmaxMatchesComposed(@ForAll @IntRange(min = 0, max = 1_000_000) int seed, @ForAll boolean log, @ForAll boolean masked) {
        Random r = new Random(seed);
        int[] shape = {1 + r.nextInt(3), 2 + r.nextInt(3), 2 + r.nextInt(4)};
        Tensor x = GradientSpecs.uniform(r, shape, -3, 3);
        Tensor mask = null;
        if (masked) {
            double[] m = new double[shape[0] * shape[2]];
            for (int i = 0; i < m.length; i++) m[i] = i % shape[2] != 0 && r.nextBoolean() ? -1e4 : 0;
            mask = Tensor.fromArray(m, shape[0], 1, shape[2]); // one mask row per batch entry, broadcast over queries
        }
        Tensor finalMask = mask;
        compare(List.of(x), in -> log ? Ops.logSoftmax(in.get(0), finalMask) : Ops.softmax(in.get(0), finalMask),
                in -> composedSoftmax(in.get(0), finalMask, log));
    }

    @Property(tries = 20)
    void fusedLayerNormMatchesComposed(@ForAll @IntRange(min = 0, max = 1_000_000) int seed) {
        Random r = new Random(seed);
        int rows = 1 + r.nextInt(4), n = 2 + r.nextInt(6);
        List<Tensor> inputs = List.of(GradientSpecs.uniform(r, new int[] {rows, n}, -2, 2),
                GradientSpecs.uniform(r, new int[] {n}, 0.5, 1.5), GradientSpecs.uniform(r, new int[] {n}, -1, 1));
        compare(inputs, in -> Ops.layerNorm(in.get(0), in.get(1), in.get(2), 1e-5),
                in -> composedLayerNorm(in.get(0), in.get(1), in.get(2), 1e-5));
    }

    @Property(tries = 20)
    void fusedLinearMatchesMatmulPlusBias(@ForAll @IntRange(min = 0, max = 1_000_000) int seed, @ForAll boolean withBias) {
        Random r = new Random(seed);
        int batch = 1 + r.nextInt(3), seq = 1 + r.nextInt(4), in = 1 + r.nextInt(5), out = 1 + r.nextInt(5);
        List<Tensor> inputs = new java.util.ArrayList<>(List.of(GradientSpecs.uniform(r, new int[] {batch, seq, in}, -2, 2),
                GradientSpecs.uniform(r, new int[] {out, in}, -1, 1)));
        if (withBias) inputs.add(GradientSpecs.uniform(r, new int[] {out}, -1, 1));
        compare(inputs, v -> Ops.linear(v.get(0), v.get(1), withBias ? v.get(2) : null), v -> {
            Variable product = v.get(0).matmul(v.get(1), false, true);
            return withBias ? product.add(v.get(2)) : product;
        });
    }

    /** softmax(scale · Q Kᵀ + mask) V per head, composed from head views, Matmul, MulScalar and Softmax. */
    private static Variable composedAttention(Variable q, Variable k, Variable v, int heads, Tensor mask, double scale) {
        return composedAttention(q, k, v, heads, mask, scale, null);
    }

    /**
     * The same with dropout on the probabilities as the composed model path does it: Ops.dropout with the mask
     * SeededRandom.dropoutMask draws at the descriptor's positions (null: none).
     */
    private static Variable composedAttention(Variable q, Variable k, Variable v, int heads, Tensor mask, double scale,
                                              AttentionDropout dropout) {
        int batch = q.shape()[0], seqQ = q.shape()[1], seqK = k.shape()[1], width = q.shape()[2], d = width / heads;
        Variable qh = q.reshape(batch, seqQ, heads, d).permute(0, 2, 1, 3);
        Variable kh = k.reshape(batch, seqK, heads, d).permute(0, 2, 1, 3);
        Variable vh = v.reshape(batch, seqK, heads, d).permute(0, 2, 1, 3);
        Variable p = Ops.softmax(qh.matmul(kh, false, true).mul(scale), mask);
        if (dropout != null) {
            SeededRandom drawn = new SeededRandom(new SeededRandom.State(dropout.seed(), dropout.firstPosition()));
            p = Ops.dropout(p, drawn.dropoutMask(q.dtype(), dropout.p(), batch, heads, seqQ, seqK));
        }
        return p.matmul(vh).permute(0, 2, 1, 3).reshape(batch, seqQ, width);
    }

    @Property(tries = 20)
    void fusedAttentionMatchesComposed(@ForAll @IntRange(min = 0, max = 1_000_000) int seed, @ForAll boolean masked) {
        Random r = new Random(seed);
        int batch = 1 + r.nextInt(2), heads = 1 + r.nextInt(3), d = 1 + r.nextInt(3), seqQ = 1 + r.nextInt(4), seqK = 1 + r.nextInt(4);
        Tensor mask = null;
        if (masked) {
            double[] m = new double[batch * seqK];
            for (int i = 0; i < m.length; i++) m[i] = i % seqK != 0 && r.nextBoolean() ? -1e4 : 0;
            mask = Tensor.fromArray(m, batch, 1, 1, seqK);
        }
        Tensor finalMask = mask;
        double scale = 1 / Math.sqrt(d);
        List<Tensor> inputs = List.of(GradientSpecs.uniform(r, new int[] {batch, seqQ, heads * d}, -2, 2),
                GradientSpecs.uniform(r, new int[] {batch, seqK, heads * d}, -2, 2),
                GradientSpecs.uniform(r, new int[] {batch, seqK, heads * d}, -2, 2));
        compare(inputs, in -> Ops.attention(in.get(0), in.get(1), in.get(2), heads, finalMask, scale),
                in -> composedAttention(in.get(0), in.get(1), in.get(2), heads, finalMask, scale));
    }

    /** With dropout inside the fused kernels: the composed dropout with the mask drawn at the same positions. */
    @Property(tries = 20)
    void fusedAttentionWithDropoutMatchesComposedDropout(@ForAll @IntRange(min = 0, max = 1_000_000) int seed,
                                                         @ForAll boolean packed) {
        Random r = new Random(seed);
        int batch = 1 + r.nextInt(2), heads = 1 + r.nextInt(3), d = 1 + r.nextInt(3), seqQ = 1 + r.nextInt(5);
        int seqK = packed ? seqQ : 1 + r.nextInt(5), width = heads * d;
        double scale = 1 / Math.sqrt(d);
        AttentionDropout dropout = new AttentionDropout(r.nextLong(), r.nextInt(1000), r.nextBoolean() ? 0.1 : 0.5);
        if (packed) {
            compare(List.of(GradientSpecs.uniform(r, new int[] {batch, seqQ, 3 * width}, -2, 2)),
                    in -> Ops.attention(in.get(0), heads, null, scale, dropout),
                    in -> composedAttention(in.get(0).narrow(2, 0, width), in.get(0).narrow(2, width, width),
                            in.get(0).narrow(2, 2 * width, width), heads, null, scale, dropout));
            return;
        }
        List<Tensor> inputs = List.of(GradientSpecs.uniform(r, new int[] {batch, seqQ, width}, -2, 2),
                GradientSpecs.uniform(r, new int[] {batch, seqK, width}, -2, 2),
                GradientSpecs.uniform(r, new int[] {batch, seqK, width}, -2, 2));
        compare(inputs, in -> Ops.attention(in.get(0), in.get(1), in.get(2), heads, null, scale, dropout),
                in -> composedAttention(in.get(0), in.get(1), in.get(2), heads, null, scale, dropout));
    }

    @Property(tries = 10)
    void packedSelfAttentionMatchesComposedOnItsThirds(@ForAll @IntRange(min = 0, max = 1_000_000) int seed) {
        Random r = new Random(seed);
        int batch = 1 + r.nextInt(2), heads = 1 + r.nextInt(3), d = 1 + r.nextInt(3), seq = 1 + r.nextInt(4), width = heads * d;
        double scale = 1 / Math.sqrt(d);
        compare(List.of(GradientSpecs.uniform(r, new int[] {batch, seq, 3 * width}, -2, 2)),
                in -> Ops.attention(in.get(0), heads, null, scale),
                in -> composedAttention(in.get(0).narrow(2, 0, width), in.get(0).narrow(2, width, width),
                        in.get(0).narrow(2, 2 * width, width), heads, null, scale));
    }

    private static void compare(List<Tensor> inputs, java.util.function.Function<List<Variable>, Variable> fused,
                                java.util.function.Function<List<Variable>, Variable> composed) {
        List<Variable> a = inputs.stream().map(t -> new Variable(t, true)).toList();
        List<Variable> b = inputs.stream().map(t -> new Variable(t, true)).toList();
        Variable outA = fused.apply(a), outB = composed.apply(b);
        Tensor seed = GradientSpecs.weights(outA.shape(), outA.dtype());
        outA.backward(seed);
        outB.backward(seed);
        assertClose("output", outA.value(), outB.value());
        for (int i = 0; i < inputs.size(); i++) assertClose("gradient of input " + i, a.get(i).grad(), b.get(i).grad());
    }

    private static void assertClose(String what, Tensor x, Tensor y) {
        double[] p = x.toDoubleArray(), q = y.toDoubleArray();
        for (int i = 0; i < p.length; i++) {
            assertTrue(Math.abs(p[i] - q[i]) <= 1e-10 * (1 + Math.abs(q[i])), what + " element " + i + ": fused " + p[i] + ", composed " + q[i]);
        }
    }
}
