package dev.ranker4j.kernels.tornadovm;

import dev.ranker4j.kernels.ArrayKernels;
import static dev.ranker4j.kernels.tornadovm.DeviceTestSupport.REFERENCE;
import static dev.ranker4j.kernels.tornadovm.DeviceTestSupport.assertClose;
import static dev.ranker4j.kernels.tornadovm.DeviceTestSupport.random;

import dev.ranker4j.kernels.ArrayRef;
import dev.ranker4j.kernels.AttentionDropout;
import dev.ranker4j.kernels.AttentionInputs;
import dev.ranker4j.kernels.AttentionShape;
import dev.ranker4j.kernels.Backend;
import dev.ranker4j.kernels.Matrix;

import java.util.Random;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The fused Backend operations on the device against the reference: {@code gemmBias} (the Backend default, a
 * broadcast copy and a GEMM, both on the device) and {@code attention} (TornadoBackend's three launches per
 * sequence), with heads interleaved in token rows as in a fused QKV projection and a padding mask; attention with
 * dropout on the probabilities (training mode), forward and backward, which this backend runs as the composed
 * default on its own kernels with the device's dropout mask: the same elements must be dropped as on the reference.
 */
class FusedOpsOnDeviceTest {

    @Property(tries = 8)
    void gemmBiasMatchesReference(@ForAll @IntRange(min = 1, max = 40) int m, @ForAll @IntRange(min = 1, max = 40) int n,
                                  @ForAll @IntRange(min = 1, max = 40) int k, @ForAll boolean paddedC,
                                  @ForAll long seed) {
        TornadoBackend device = DeviceTestSupport.backend();
        Random random = new Random(seed);
        int ldc = paddedC ? n + 3 : n;
        float[] x = random(random, 1 + m * k), w = random(random, 2 + n * k), bias = random(random, 3 + n);
        float[] expected = random(random, m * ldc), actual = expected.clone();
        ArrayKernels.gemmBias(REFERENCE, false, true, m, n, k, 1f, x, 1, k, w, 2, k, expected, 0, ldc, bias, 3);
        ArrayKernels.gemmBias(device, false, true, m, n, k, 1f, x, 1, k, w, 2, k, actual, 0, ldc, bias, 3);
        assertClose("gemmBias " + m + "x" + n + "x" + k, expected, actual, 1e-4);
    }

    @Property(tries = 8)
    void attentionMatchesReference(@ForAll @IntRange(min = 1, max = 3) int batch,
                                   @ForAll @IntRange(min = 1, max = 4) int heads,
                                   @ForAll @IntRange(min = 1, max = 20) int seq, @ForAll @IntRange(min = 1, max = 16) int d,
                                   @ForAll boolean masked, @ForAll long seed) {
        TornadoBackend device = DeviceTestSupport.backend();
        Random random = new Random(seed);
        int hidden = heads * d, qkvRow = 3 * hidden;                     // q, k, v are column blocks of one [tokens, 3·hidden]
        float[] qkv = random(random, 1 + batch * seq * qkvRow);
        float[] mask = null;
        if (masked) {                                                    // padding: the last tokens of each sequence
            mask = new float[2 + batch * seq];
            for (int b = 0; b < batch; b++) {
                int real = 1 + random.nextInt(seq);
                for (int t = real; t < seq; t++) mask[2 + b * seq + t] = -10000f;
            }
        }
        int outRow = hidden + 1;
        float[] expected = new float[batch * seq * outRow], actual = new float[batch * seq * outRow];
        float scale = (float) (1 / Math.sqrt(d));
        ArrayKernels.attention(REFERENCE, batch, heads, seq, seq, d, scale, qkv, 1, qkvRow, qkv, 1 + hidden, qkvRow, qkv, 1 + 2 * hidden,
                qkvRow, mask, 2, null, expected, 0, outRow);
        ArrayKernels.attention(device, batch, heads, seq, seq, d, scale, qkv, 1, qkvRow, qkv, 1 + hidden, qkvRow, qkv, 1 + 2 * hidden,
                qkvRow, mask, 2, null, actual, 0, outRow);
        assertClose("attention batch=" + batch + " heads=" + heads + " seq=" + seq + " d=" + d, expected, actual, 1e-4);
    }

    @Property(tries = 6)
    void attentionWithDropoutMatchesReference(@ForAll @IntRange(min = 1, max = 2) int batch,
                                              @ForAll @IntRange(min = 1, max = 3) int heads,
                                              @ForAll @IntRange(min = 1, max = 12) int seq,
                                              @ForAll @IntRange(min = 1, max = 8) int d, @ForAll long seed) {
        TornadoBackend device = DeviceTestSupport.backend();
        Random random = new Random(seed);
        int hidden = heads * d, qkvRow = 3 * hidden;
        float[] qkv = random(random, batch * seq * qkvRow), dOut = random(random, batch * seq * hidden);
        float[] mask = new float[batch * seq];
        for (int b = 0; b < batch; b++) {
            for (int t = 1 + random.nextInt(seq); t < seq; t++) mask[b * seq + t] = -10000f;
        }
        AttentionShape shape = new AttentionShape(batch, heads, seq, seq, d);
        AttentionDropout dropout = new AttentionDropout(seed, random.nextInt(1000), 0.3);
        float scale = (float) (1 / Math.sqrt(d));
        String what = "batch=" + batch + " heads=" + heads + " seq=" + seq + " d=" + d;
        float[][] expected = attentionWithDropout(REFERENCE, shape, scale, dropout, qkv, mask, dOut);
        float[][] actual = attentionWithDropout(device, shape, scale, dropout, qkv, mask, dOut);
        assertClose("attention with dropout, output, " + what, expected[0], actual[0], 1e-4); // fetches from the device
        assertClose("attention with dropout, gradient of qkv, " + what, expected[1], actual[1], 1e-4);
    }

    /** The forward output [tokens, hidden] and the packed gradient [tokens, 3·hidden] of q, k, v from dOut. */
    private static float[][] attentionWithDropout(Backend backend, AttentionShape shape, float scale,
                                                  AttentionDropout dropout, float[] qkv, float[] mask, float[] dOut) {
        int hidden = shape.heads() * shape.d(), qkvRow = 3 * hidden, tokens = shape.batch() * shape.seqQ();
        AttentionInputs inputs = new AttentionInputs(Matrix.of(qkv, 0, qkvRow), Matrix.of(qkv, hidden, qkvRow),
                Matrix.of(qkv, 2 * hidden, qkvRow), ArrayRef.of(mask));
        float[] out = new float[tokens * hidden], dQkv = new float[tokens * qkvRow];
        backend.attention(shape, scale, inputs, dropout, Matrix.of(out, 0, hidden));
        backend.attentionBackward(shape, scale, inputs, dropout, Matrix.of(dOut, 0, hidden),
                Matrix.of(dQkv, 0, qkvRow), Matrix.of(dQkv, hidden, qkvRow), Matrix.of(dQkv, 2 * hidden, qkvRow));
        return new float[][] {out, dQkv};
    }
}
