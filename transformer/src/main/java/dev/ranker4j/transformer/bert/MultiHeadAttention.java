package dev.ranker4j.transformer.bert;

import dev.ranker4j.autograd.Ops;
import dev.ranker4j.autograd.Variable;
import dev.ranker4j.autograd.nn.Dropout;
import dev.ranker4j.autograd.nn.Linear;
import dev.ranker4j.tensor.Tensor;

import java.util.List;

/**
 * Scaled dot-product attention over several heads (Vaswani et al. 2017, eq. 1), shared by BERT and DistilBERT:
 * <pre>
 *   Attention(Q, K, V) = softmax(Q Kᵀ / √d + M) V        per head, d = hidden / heads
 * </pre>
 * with M the additive padding mask [batch, 1, 1, seq] (0 for real keys, the dtype's most negative value for
 * padding). Shapes: q, k, v [batch·seq, hidden] → split into heads as views [batch, heads, seq, d] (no copy: the
 * matmul reads strided operands), scores and probabilities [batch, heads, seq, seq], context merged back to
 * [batch·seq, hidden] (one copy). Q is scaled before the product rather than the scores after it: the same value
 * in exact arithmetic, and seq/d times fewer multiplications.
 *
 * <p>That composed form is what runs when the probabilities are needed as a value (outputs, distillation).
 * Otherwise (inference, and training with or without attention dropout) the whole formula is one fused op on the
 * packed QKV projection, {@link Ops#attention(Variable, int, Tensor, double, dev.ranker4j.kernels.AttentionDropout)}:
 * no [batch, heads, seq, seq] tensor, no head merge copy. In training its kernels draw the dropout mask of the
 * probabilities themselves, at the counter positions the composed path's dropout would have used
 * ({@link Dropout#forAttention}), so both paths drop the same elements and leave the generator at the same count.
 *
 * <p>Queries may be asked for only the first n positions of each sequence ({@link LastLayerPruning}): row i of
 * softmax(Q Kᵀ / √d + M) V depends on query i and on every key and value, never on another query, so projecting
 * Q for the kept rows only and K, V for all rows gives exactly those rows of the full result. Scores are then
 * [batch, heads, n, seq].
 */
final class MultiHeadAttention {
    private MultiHeadAttention() {}

    /**
     * The context [batch·seqQ, hidden] and the attention probabilities [batch, heads, seqQ, seq] (null unless kept);
     * seqQ = seq except in a pruned last layer.
     */
    record Result(Variable context, Variable probabilities) {}

    /**
     * Self-attention of h [batch·seq, hidden] for the first {@code queryPositions} positions of each sequence
     * (all {@code seq} of them in every layer but a pruned last one) → context [batch·queryPositions, hidden].
     *
     * <p>With every position asking, the query, key and value projections are computed as ONE product
     * h · [W_q; W_k; W_v]ᵀ + [b_q; b_k; b_v] → [batch·seq, 3·hidden] (one GEMM three times as wide instead of three:
     * h is packed once), then q, k, v as column views of it. The concatenated weight is built from the three
     * parameters on every call (a small copy next to the product), so gradients flow back to each of them.
     */
    static Result selfAttend(Variable h, Linear query, Linear key, Linear value, int batch, int seq, int queryPositions,
                             int heads, Tensor additiveMask, Dropout attentionDropout, boolean keepProbabilities) {
        if (queryPositions < seq) {
            return leadingQueries(h, query, key, value, batch, seq, queryPositions, heads, additiveMask,
                    attentionDropout, keepProbabilities);
        }
        int hidden = h.shape()[1];
        Variable weight = Ops.concat(0, List.of(query.weight(), key.weight(), value.weight()));   // [3·hidden, hidden]
        Variable bias = Ops.concat(0, List.of(query.bias(), key.bias(), value.bias()));           // [3·hidden]
        Variable qkv = Ops.linear(h, weight, bias);                                               // [batch·seq, 3·hidden]
        if (!keepProbabilities) { // packed: one gradient for qkv, no zero-padded slices
            Variable context = Ops.attention(qkv.reshape(batch, seq, 3 * hidden), heads, additiveMask,
                    1.0 / Math.sqrt(hidden / heads), attentionDropout.forAttention(batch, heads, seq, seq));
            return new Result(context.reshape(batch * seq, hidden), null);
        }
        return attend(qkv.narrow(1, 0, hidden), qkv.narrow(1, hidden, hidden), qkv.narrow(1, 2 * hidden, hidden),
                batch, heads, additiveMask, attentionDropout);
    }

    /**
     * Self-attention in which only the first n positions of each sequence ask: Q = W_q h[:, :n] + b_q for the kept
     * rows, K and V for every row, as three plain projections (Q is narrower than K and V, so they no longer pack
     * into one product) → context [batch·n, hidden].
     */
    private static Result leadingQueries(Variable h, Linear query, Linear key, Linear value, int batch, int seq, int n,
                                         int heads, Tensor additiveMask, Dropout attentionDropout, boolean keepProbabilities) {
        int hidden = h.shape()[1];
        Variable q = query.forward(leadingRows(h, batch, seq, n));  // [batch·n, hidden]
        Variable k = key.forward(h), v = value.forward(h);           // [batch·seq, hidden]
        if (!keepProbabilities) {
            Variable context = Ops.attention(q.reshape(batch, n, hidden), k.reshape(batch, seq, hidden),
                    v.reshape(batch, seq, hidden), heads, additiveMask, 1.0 / Math.sqrt(hidden / heads),
                    attentionDropout.forAttention(batch, heads, n, seq));
            return new Result(context.reshape(batch * n, hidden), null);
        }
        return attend(q, k, v, batch, heads, additiveMask, attentionDropout);
    }

    /** The first n positions of each sequence of h [batch·seq, hidden] → [batch·n, hidden] (h itself when n = seq). */
    static Variable leadingRows(Variable h, int batch, int seq, int n) {
        if (n == seq) return h;
        int hidden = h.shape()[1];
        return h.reshape(batch, seq, hidden).narrow(1, 0, n).reshape(batch * n, hidden);
    }

    /**
     * Attention of q [batch·seqQ, hidden] over k, v [batch·seqK, hidden] composed from ops, keeping the
     * probabilities as a [batch, heads, seqQ, seqK] value: for when they are wanted (outputs, distillation).
     * Otherwise {@link #selfAttend} runs the one fused op {@link Ops#attention}, whose kernel keeps each head's scores
     * in cache, drops them out there in training, and writes the merged context directly.
     */
    static Result attend(Variable q, Variable k, Variable v, int batch, int heads, Tensor additiveMask,
                         Dropout attentionDropout) {
        int hidden = q.shape()[1], headSize = hidden / heads;
        int seqQ = q.shape()[0] / batch, seqK = k.shape()[0] / batch;
        Variable qh = splitHeads(q.mul(1.0 / Math.sqrt(headSize)), batch, seqQ, heads, headSize);
        Variable kh = splitHeads(k, batch, seqK, heads, headSize);
        Variable vh = splitHeads(v, batch, seqK, heads, headSize);
        Variable scores = qh.matmul(kh, false, true);                                // [B, heads, Sq, Sk]
        Variable probabilities = Ops.softmax(scores, additiveMask);
        Variable context = attentionDropout.forward(probabilities).matmul(vh);       // [B, heads, Sq, d]
        Variable merged = context.permute(0, 2, 1, 3).reshape(batch * seqQ, hidden); // the one copy
        return new Result(merged, probabilities);
    }

    /** [batch·seq, heads·d] → [batch, heads, seq, d] as a view. */
    private static Variable splitHeads(Variable x, int batch, int seq, int heads, int headSize) {
        return x.reshape(batch, seq, heads, headSize).permute(0, 2, 1, 3);
    }
}
