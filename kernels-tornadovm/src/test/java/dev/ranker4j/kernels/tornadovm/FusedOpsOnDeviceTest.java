package dev.ranker4j.kernels.tornadovm;

import static dev.ranker4j.kernels.tornadovm.DeviceTestSupport.REFERENCE;
import static dev.ranker4j.kernels.tornadovm.DeviceTestSupport.assertClose;
import static dev.ranker4j.kernels.tornadovm.DeviceTestSupport.random;

import java.util.Random;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The fused Backend operations on the device against the reference: {@code gemmBias} (the Backend default, a
 * broadcast copy and a GEMM, both on the device) and {@code attention} (TornadoBackend's three launches per
 * sequence), with heads interleaved in token rows as in a fused QKV projection and a padding mask.
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
                qkvRow, mask, 2, expected, 0, outRow);
        ArrayKernels.attention(device, batch, heads, seq, seq, d, scale, qkv, 1, qkvRow, qkv, 1 + hidden, qkvRow, qkv, 1 + 2 * hidden,
                qkvRow, mask, 2, actual, 0, outRow);
        assertClose("attention batch=" + batch + " heads=" + heads + " seq=" + seq + " d=" + d, expected, actual, 1e-4);
    }
}
