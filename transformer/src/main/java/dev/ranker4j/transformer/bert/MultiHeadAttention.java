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
 */
final class MultiHeadAttention {
    private MultiHeadAttention() {}

    /** The context [batch·seq, hidden] and the attention probabilities [batch, heads, seq, seq] (null unless kept). */
    record Result(Variable context, Variable probabilities) {}

    /**
     * Self-attention of h [batch·seq, hidden] with the query, key and value projections computed as ONE product
     * h · [W_q; W_k; W_v]ᵀ + [b_q; b_k; b_v] → [batch·seq, 3·hidden] (one GEMM three times as wide instead of three:
     * h is packed once), then q, k, v as column views of it. The concatenated weight is built from the three
     * parameters on every call (a small copy next to the product), so gradients flow back to each of them.
     */
    static Result selfAttend(Variable h, Linear query, Linear key, Linear value, int batch, int seq, int heads,
                             Tensor additiveMask, Dropout attentionDropout, boolean keepProbabilities) {
        int hidden = h.shape()[1];
        Variable weight = Ops.concat(0, List.of(query.weight(), key.weight(), value.weight()));   // [3·hidden, hidden]
        Variable bias = Ops.concat(0, List.of(query.bias(), key.bias(), value.bias()));           // [3·hidden]
        Variable qkv = Ops.linear(h, weight, bias);                                               // [batch·seq, 3·hidden]
        return attend(qkv.narrow(1, 0, hidden), qkv.narrow(1, hidden, hidden), qkv.narrow(1, 2 * hidden, hidden),
                batch, seq, heads, additiveMask, attentionDropout, keepProbabilities);
    }

    /**
     * Attention of q, k, v [batch·seq, hidden]. Unless the probabilities are wanted (distillation, outputs) or
     * dropped out (training with attention dropout), this is the one fused op {@link Ops#attention}: its kernel keeps
     * each head's scores in cache and writes the merged context directly. Otherwise the composed ops below, which
     * keep the probabilities as a [batch, heads, seq, seq] value.
     */
    static Result attend(Variable q, Variable k, Variable v, int batch, int seq, int heads, Tensor additiveMask,
                         Dropout attentionDropout, boolean keepProbabilities) {
        int hidden = q.shape()[1], headSize = hidden / heads;
        boolean dropsOut = attentionDropout.isTraining() && attentionDropout.p() > 0;
        if (!keepProbabilities && !dropsOut) {
            Variable context = Ops.attention(q.reshape(batch, seq, hidden), k.reshape(batch, seq, hidden),
                    v.reshape(batch, seq, hidden), heads, additiveMask, 1.0 / Math.sqrt(headSize));
            return new Result(context.reshape(batch * seq, hidden), null);
        }
        Variable qh = splitHeads(q.mul(1.0 / Math.sqrt(headSize)), batch, seq, heads, headSize);
        Variable kh = splitHeads(k, batch, seq, heads, headSize);
        Variable vh = splitHeads(v, batch, seq, heads, headSize);
        Variable scores = qh.matmul(kh, false, true);                               // [B, heads, S, S]
        Variable probabilities = Ops.softmax(scores, additiveMask);
        Variable context = attentionDropout.forward(probabilities).matmul(vh);      // [B, heads, S, d]
        Variable merged = context.permute(0, 2, 1, 3).reshape(batch * seq, hidden); // the one copy
        return new Result(merged, probabilities);
    }

    /** [batch·seq, heads·d] → [batch, heads, seq, d] as a view. */
    private static Variable splitHeads(Variable x, int batch, int seq, int heads, int headSize) {
        return x.reshape(batch, seq, heads, headSize).permute(0, 2, 1, 3);
    }
}
