package dev.ranker4j.bench;

import dev.ranker4j.hfio.config.TransformerConfig;
import dev.ranker4j.kernels.UnaryOp;
import dev.ranker4j.tensor.DType;
import dev.ranker4j.tensor.SeededRandom;
import dev.ranker4j.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Where one BERT layer's forward time goes: the Tensor ops {@code BertLayer} performs, timed one by one at the
 * benchmark's shape (same kernels, same order), grouped as dense layers (GEMM + bias epilogue, the GELU in the
 * intermediate layer's epilogue), fused attention, layer norms + residual adds; plus, outside the total, the separate
 * GELU pass and the unfused attention ops the layer no longer runs. Printed as one JSON line of milliseconds per layer.
 */
final class ForwardProfile {
    private ForwardProfile() {}

    static String profile(TransformerConfig config, int batch, int seq, int repeats) {
        SeededRandom random = new SeededRandom(1);
        int hidden = config.hiddenSize(), inner = config.intermediateSize(), heads = config.numHeads(), d = hidden / heads;
        int rows = batch * seq;
        Tensor x = random.normal(DType.F32, 0, 1, rows, hidden);
        Tensor wqkv = random.normal(DType.F32, 0, 0.05, 3 * hidden, hidden), wo = random.normal(DType.F32, 0, 0.05, hidden, hidden);
        Tensor w1 = random.normal(DType.F32, 0, 0.05, inner, hidden), w2 = random.normal(DType.F32, 0, 0.05, hidden, inner);
        Tensor bqkv = Tensor.zeros(DType.F32, 3 * hidden), bh = Tensor.zeros(DType.F32, hidden), bi = Tensor.zeros(DType.F32, inner);
        Tensor gamma = Tensor.ones(DType.F32, hidden);
        Tensor mask = Tensor.zeros(DType.F32, batch, 1, 1, seq);
        Map<String, Double> ms = new LinkedHashMap<>(), unfused = new LinkedHashMap<>();
        for (int r = 0; r < repeats + 1; r++) {
            boolean timed = r > 0;
            // Dense layers as the model runs them: x · Wᵀ + b, one GEMM each with the bias in its write-back, and
            // the intermediate layer's GELU applied to each block of its output as the GEMM finishes the block.
            long t0 = System.nanoTime();
            Tensor qkv = x.linear(wqkv, bqkv);
            Tensor o = x.linear(wo, bh);
            Tensor h1 = x.linear(w1, bi, UnaryOp.GELU_ERF);
            Tensor h2 = h1.linear(w2, bh);
            long t1 = System.nanoTime();
            Tensor q = qkv.narrow(1, 0, hidden).reshape(batch, seq, hidden);
            Tensor k = qkv.narrow(1, hidden, hidden).reshape(batch, seq, hidden);
            Tensor v = qkv.narrow(1, 2 * hidden, hidden).reshape(batch, seq, hidden);
            Tensor merged = Tensor.attention(q, k, v, heads, mask, 1.0 / Math.sqrt(d), null);
            long t2 = System.nanoTime();
            Tensor a = x.add(o).layerNorm(gamma, bh, 1e-12).output();
            Tensor out = a.add(h2).layerNorm(gamma, bh, 1e-12).output();
            long t3 = System.nanoTime();
            // Not part of the layer any more: GELU as a pass of its own over the intermediate activations.
            Tensor act = h1.geluErf();
            long t4 = System.nanoTime();
            // Not part of the layer any more: the unfused attention it replaced (scale, QKᵀ, softmax, PV, merge).
            Tensor scores = q.mul(1.0 / Math.sqrt(d)).reshape(batch, seq, heads, d).permute(0, 2, 1, 3)
                    .matmul(k.reshape(batch, seq, heads, d).permute(0, 2, 1, 3).transpose(-1, -2));
            Tensor composed = scores.softmax(-1, mask).matmul(v.reshape(batch, seq, heads, d).permute(0, 2, 1, 3))
                    .permute(0, 2, 1, 3).reshape(rows, hidden);
            long t5 = System.nanoTime();
            if (timed) {
                add(ms, "dense_linear", t1 - t0);
                add(ms, "attention_fused", t2 - t1);
                add(ms, "residual_layernorm", t3 - t2);
                unfused.merge("gelu_separate_pass", (t4 - t3) / 1e6, Double::sum);
                unfused.merge("attention_unfused", (t5 - t4) / 1e6, Double::sum);
            }
            if (composed.numel() == 0) throw new AssertionError();
            if (merged.numel() + out.numel() + act.numel() == 0) throw new AssertionError();
        }
        StringBuilder json = new StringBuilder("{\"profile_ms_per_layer\":{");
        double total = ms.values().stream().mapToDouble(Double::doubleValue).sum() / repeats;
        ms.forEach((name, sum) -> json.append(String.format(Locale.ROOT, "\"%s\":%.1f,", name, sum / repeats)));
        json.append(String.format(Locale.ROOT, "\"total\":%.1f},\"not_in_total\":{", total));
        json.append(String.join(",", unfused.entrySet().stream().map(e -> String.format(Locale.ROOT, "\"%s\":%.1f",
                e.getKey(), e.getValue() / repeats)).toList()));
        json.append(String.format(Locale.ROOT, "},\"batch\":%d,\"seq\":%d}", batch, seq));
        return json.toString();
    }

    private static void add(Map<String, Double> ms, String name, long nanos) {
        ms.merge(name, nanos / 1e6, Double::sum);
    }
}
