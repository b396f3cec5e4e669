package dev.ranker4j.autograd;

import dev.ranker4j.autograd.ops.AttentionFn;
import dev.ranker4j.autograd.ops.ConcatFn;
import dev.ranker4j.autograd.ops.DropoutFn;
import dev.ranker4j.kernels.AttentionDropout;
import dev.ranker4j.autograd.ops.EmbeddingFn;
import dev.ranker4j.autograd.ops.LayerNormFn;
import dev.ranker4j.autograd.ops.LinearFn;
import dev.ranker4j.autograd.ops.SoftmaxFn;
import dev.ranker4j.autograd.ops.ElementwiseFns.WhereFn;
import dev.ranker4j.tensor.DType;
import dev.ranker4j.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * The differentiable ops that take several inputs, constants or options, as static functions (the one-input ops are
 * methods of {@link Variable}). Functions here that are compositions of other ops say so: their gradient comes
 * from the ops they are made of.
 */
public final class Ops {
    private Ops() {}

    /** cond ? a : b elementwise (broadcasting); cond is a constant, nonzero meaning true. */
    public static Variable where(Tensor cond, Variable a, Variable b) {
        return new WhereFn(cond).apply(a, b);
    }

    /** Joins variables along an existing axis. */
    public static Variable concat(int axis, List<Variable> parts) {
        return new ConcatFn(axis).apply(parts.toArray(Variable[]::new));
    }

    /** Joins equal-shaped variables along a new axis: composition of unsqueeze and concat. */
    public static Variable stack(int axis, List<Variable> parts) {
        List<Variable> unsqueezed = new ArrayList<>();
        for (Variable part : parts) unsqueezed.add(part.unsqueeze(axis));
        return concat(axis, unsqueezed);
    }

    /** Consecutive pieces along {@code axis} with the given sizes (summing to the axis size): narrows. */
    public static List<Variable> split(Variable x, int axis, int... sizes) {
        int a = axis < 0 ? axis + x.rank() : axis;
        int total = 0;
        for (int size : sizes) total += size;
        if (total != x.shape()[a]) {
            throw new IllegalArgumentException("split: sizes sum to " + total + " but axis " + axis + " has " + x.shape()[a]);
        }
        List<Variable> pieces = new ArrayList<>();
        int start = 0;
        for (int size : sizes) {
            pieces.add(x.narrow(a, start, size));
            start += size;
        }
        return pieces;
    }

    /** {@code chunks} pieces along {@code axis}, equal but for a smaller last one (as torch.chunk). */
    public static List<Variable> chunk(Variable x, int chunks, int axis) {
        int a = axis < 0 ? axis + x.rank() : axis;
        int n = x.shape()[a], size = (n + chunks - 1) / chunks;
        List<Integer> sizes = new ArrayList<>();
        for (int start = 0; start < n; start += size) sizes.add(Math.min(size, n - start));
        return split(x, a, sizes.stream().mapToInt(Integer::intValue).toArray());
    }

    /**
     * A linear layer y = x · Wᵀ + b in one op (one GEMM each way, the bias added in the forward GEMM's write-back):
     * x [..., in], weight [out, in], bias [out] or null → [..., out].
     */
    public static Variable linear(Variable x, Variable weight, Variable bias) {
        return bias == null ? new LinearFn().apply(x, weight) : new LinearFn().apply(x, weight, bias);
    }

    /**
     * Multi-head scaled dot-product attention, softmax(scale · Q Kᵀ + mask) V per head, as one fused op:
     * q [batch, seqQ, heads·d], k and v [batch, seqK, heads·d], constant additive mask [batch, 1, 1, seqK] or null
     * → [batch, seqQ, heads·d]. Neither the scores nor the probabilities are kept (the backward recomputes them):
     * use the composed ops when the probabilities themselves are wanted.
     */
    public static Variable attention(Variable q, Variable k, Variable v, int heads, Tensor mask, double scale) {
        return attention(q, k, v, heads, mask, scale, null);
    }

    /**
     * {@link #attention(Variable, Variable, Variable, int, Tensor, double)} with dropout on the probabilities inside
     * the kernel, D(softmax(scale · Q Kᵀ + mask)) V: {@code dropout} names the counter positions of the mask (from
     * {@code SeededRandom.attentionDropout}, or {@code nn.Dropout.forAttention}), so it drops exactly what a
     * composed dropout on the [batch, heads, seqQ, seqK] probabilities would; null for none.
     */
    public static Variable attention(Variable q, Variable k, Variable v, int heads, Tensor mask, double scale,
                                     AttentionDropout dropout) {
        return new AttentionFn(heads, mask, scale, dropout).apply(q, k, v);
    }

    /**
     * Self-attention as {@link #attention(Variable, Variable, Variable, int, Tensor, double)} with q, k and v packed
     * side by side in one qkv [batch, seq, 3·heads·d] (a fused QKV projection's output), whose gradient is then one
     * concatenation instead of three zero-padded slices summed.
     */
    public static Variable attention(Variable qkv, int heads, Tensor mask, double scale) {
        return attention(qkv, heads, mask, scale, null);
    }

    /** Packed self-attention with dropout inside the kernel (see the unpacked form). */
    public static Variable attention(Variable qkv, int heads, Tensor mask, double scale, AttentionDropout dropout) {
        return new AttentionFn(heads, mask, scale, dropout).apply(qkv);
    }

    /** Softmax over the last axis of x + mask (mask additive, broadcastable, constant; null for none). */
    public static Variable softmax(Variable x, Tensor mask) {
        return new SoftmaxFn(mask, false).apply(x);
    }

    /** Log-softmax over the last axis of x + mask. */
    public static Variable logSoftmax(Variable x, Tensor mask) {
        return new SoftmaxFn(mask, true).apply(x);
    }

    /** Layer norm over the last axis with scale gamma [n] and shift beta [n]. */
    public static Variable layerNorm(Variable x, Variable gamma, Variable beta, double eps) {
        return new LayerNormFn(eps).apply(x, gamma, beta);
    }

    /** Rows of {@code table} [vocab, dim] at integer {@code ids} [...] → [..., dim]. */
    public static Variable embedding(Variable table, Tensor ids) {
        return new EmbeddingFn(ids).apply(table);
    }

    /** Inverted dropout with a mask of 0 (dropped) and 1/(1 − p) (kept), e.g. from {@code SeededRandom.dropoutMask}. */
    public static Variable dropout(Variable x, Tensor mask) {
        return new DropoutFn(mask).apply(x);
    }

    /**
     * Mean cross-entropy of logits [n, classes] against class indices: L = −(1/n) Σ_i log softmax(z_i)[t_i].
     * Composition: log-softmax, then the soft-target form with one-hot targets.
     */
    public static Variable crossEntropy(Variable logits, int[] targets) {
        int[] shape = logits.shape();
        if (shape.length != 2 || shape[0] != targets.length) {
            throw new IllegalArgumentException("crossEntropy: logits must be [n, classes] with n = " + targets.length
                    + " targets, got " + java.util.Arrays.toString(shape));
        }
        double[] oneHot = new double[shape[0] * shape[1]];
        for (int i = 0; i < targets.length; i++) {
            if (targets[i] < 0 || targets[i] >= shape[1]) {
                throw new IllegalArgumentException("crossEntropy: target " + targets[i] + " at row " + i + " is not a class in [0, " + shape[1] + ")");
            }
            oneHot[i * shape[1] + targets[i]] = 1;
        }
        return softCrossEntropy(logits, Tensor.fromArray(oneHot, shape).to(logits.dtype()));
    }

    /**
     * Mean cross-entropy against target distributions p [n, classes] (rows sum to 1; a teacher's softmax in
     * distillation): L = −(1/n) Σ_i Σ_c p_ic log softmax(z_i)_c. dL/dz = (softmax(z) − p) / n.
     */
    public static Variable softCrossEntropy(Variable logits, Tensor targetProbabilities) {
        Variable logProbabilities = logits.logSoftmax();
        Variable perRow = logProbabilities.mul(Variable.constant(targetProbabilities)).sum(new int[] {-1}, false);
        return perRow.mean().neg();
    }

    /** A scalar constant of the given dtype (for composing formulas). */
    public static Variable scalar(double value, DType dtype) {
        return Variable.constant(Tensor.scalar(value, dtype));
    }
}
