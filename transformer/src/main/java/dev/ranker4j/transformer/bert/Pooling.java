package dev.ranker4j.transformer.bert;

import dev.ranker4j.autograd.Variable;
import dev.ranker4j.hfio.keys.PoolingMode;
import dev.ranker4j.tensor.Tensor;

/**
 * Turning token vectors h [batch, seq, hidden] into one vector per sequence [batch, hidden], on autograd ops so that
 * dual encoders train through them.
 * <ul>
 *   <li>CLS: h[:, 0, :], the first ([CLS]) token.
 *   <li>mean over real tokens: Σ_t m_t h_t / max(Σ_t m_t, 1e-9), m the attention mask — padding contributes nothing
 *       (sentence-transformers' {@code pooling_mode_mean_tokens}).
 * </ul>
 */
public final class Pooling {
    private Pooling() {}

    /** h[:, 0, :] → [batch, hidden]. */
    public static Variable cls(Variable hidden) {
        int[] s = hidden.shape();
        return hidden.narrow(1, 0, 1).reshape(s[0], s[2]);
    }

    /** Mean of h over the positions where {@code attentionMask} [batch, seq] (integer 0/1) is 1 → [batch, hidden]. */
    public static Variable mean(Variable hidden, Tensor attentionMask) {
        int[] s = hidden.shape();
        Tensor mask = attentionMask.to(hidden.dtype()).reshape(s[0], s[1], 1);          // [B, S, 1]
        Tensor counts = mask.sum(new int[] {1}, false).max(1e-9);                       // [B, 1]
        Variable summed = hidden.mul(Variable.constant(mask)).sum(new int[] {1}, false); // [B, H]
        return summed.div(Variable.constant(counts));
    }

    /** The pooling a sentence-transformers config selects. */
    public static Variable apply(PoolingMode mode, Variable hidden, Tensor attentionMask) {
        return switch (mode) {
            case CLS -> cls(hidden);
            case MEAN -> mean(hidden, attentionMask);
        };
    }

    /** Each row divided by its L2 norm (max(‖x‖, 1e-12), as torch.nn.functional.normalize). */
    public static Variable l2Normalize(Variable x) {
        Variable norm = x.mul(x).sum(new int[] {-1}, true).sqrt().maximum(
                Variable.constant(Tensor.scalar(1e-12, x.dtype())));
        return x.div(norm);
    }
}
