package dev.ranker4j.tensor;

import dev.ranker4j.kernels.AttentionDropout;

import dev.ranker4j.kernels.UnaryOp;

/**
 * The backward halves of the fused tensor ops, in one place and off {@link Tensor}'s public surface: what an
 * autograd op's {@code backward} calls when its gradient is one kernel rather than a composition of tensor ops.
 * Each method checks shapes and makes one {@link dev.ranker4j.kernels.Backend} call, like the forward it belongs to.
 * The tensor layer itself keeps no gradient state.
 */
public final class Gradients {
    private Gradients() {}

    /**
     * The gradient of {@code x.apply(op, param)} at x: dy · op′(x), elementwise, in one kernel pass (see
     * {@link dev.ranker4j.kernels.Backend#unaryBackward}). dy has x's shape and dtype; e.g. GELU's backward is
     * {@code Gradients.unary(UnaryOp.GELU_ERF, 0, x, dy)}.
     */
    public static Tensor unary(UnaryOp op, double param, Tensor x, Tensor dy) {
        return Elementwise.unaryBackward(op, param, x, dy);
    }

    /** Given y = softmax(x) along axis and dy, returns dx = y ⊙ (dy − Σ dy ⊙ y). */
    public static Tensor softmax(Tensor y, Tensor dy, int axis) {
        return TensorSoftmax.backward(y, dy, axis, false);
    }

    /** Given y = logSoftmax(x) along axis and dy, returns dx = dy − softmax(x) · Σ dy. */
    public static Tensor logSoftmax(Tensor y, Tensor dy, int axis) {
        return TensorSoftmax.backward(y, dy, axis, true);
    }

    /** Gradients of {@link Tensor#layerNorm} given its input x, gamma, saved result and dy = ∂L/∂output. */
    public static LayerNormGradients layerNorm(Tensor x, Tensor gamma, LayerNormResult saved, Tensor dy) {
        return TensorLayerNorm.backward(x, gamma, saved, dy);
    }

    /**
     * The backward of {@link Tensor#attention}, fused into one kernel ({@link dev.ranker4j.kernels.Backend#attentionBackward})
     * that recomputes P from q and k rather than keeping it: per sequence and head, with G = gradOut,
     * <pre>
     *   P = softmax(scale · Q Kᵀ + mask),   dV = (P ⊙ M)ᵀ G,   dP = (G Vᵀ) ⊙ M,
     *   dS = P ⊙ (dP − rowsum(dP ⊙ P)),    dQ = scale · dS K,   dK = scale · dSᵀ Q
     * </pre>
     * (M the forward's dropout mask, drawn again from its positions; all ones when {@code dropout} is null).
     * Takes the forward's arguments and gradOut [batch, seqQ, heads·d]; returns {dq, dk, dv} shaped like q, k, v
     * (contiguous, heads merged).
     */
    public static Tensor[] attention(Tensor q, Tensor k, Tensor v, int heads, Tensor mask, double scale,
                                     AttentionDropout dropout, Tensor gradOut) {
        return TensorAttention.backward(q, k, v, heads, mask, scale, dropout, gradOut);
    }

    /**
     * {@link #attention(Tensor, Tensor, Tensor, int, Tensor, double, AttentionDropout, Tensor)} for self-attention whose q, k and v are
     * the three column blocks of one packed qkv [batch, seq, 3·heads·d] (a fused projection's output): returns its
     * gradient [batch, seq, 3·heads·d], [dq, dk, dv] side by side, written there directly by the kernel (no
     * concatenation).
     */
    public static Tensor attention(Tensor qkv, int heads, Tensor mask, double scale, AttentionDropout dropout,
                                   Tensor gradOut) {
        return TensorAttention.backwardPacked(qkv, heads, mask, scale, dropout, gradOut);
    }

    /** The backward of {@link Tensor#embedding}: a new [vocabulary, D] table with each row of {@code rows} added at its id. */
    public static Tensor embedding(Tensor ids, Tensor rows, int vocabulary) {
        return TensorEmbedding.scatterAdd(ids, rows, vocabulary);
    }

    /**
     * The backward of {@link Tensor#embedding} accumulated into an existing table [V, D]: row {@code ids[i]} +=
     * {@code rows[i, :]} for every id (repeated ids accumulate), in place so that a large embedding gradient is not
     * reallocated each step. Returns {@code table}; every view of its storage sees the change.
     */
    public static Tensor embeddingInPlace(Tensor table, Tensor ids, Tensor rows) {
        TensorEmbedding.scatterAddInPlace(table, ids, rows);
        return table;
    }
}
