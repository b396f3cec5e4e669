package dev.ranker4j.autograd.ops;

import dev.ranker4j.autograd.DifferentiableFunction;
import dev.ranker4j.kernels.AttentionDropout;
import dev.ranker4j.tensor.Gradients;
import dev.ranker4j.tensor.Tensor;

import java.util.Arrays;

/**
 * Multi-head scaled dot-product attention in one op (Vaswani et al. 2017, eq. 1), per sequence b and head h:
 * <pre>
 *   S = scale · Q Kᵀ,   P = softmax(S + M),   O = D(P) V
 * </pre>
 * where D is the identity, or with an {@link AttentionDropout} the inverted dropout P ⊙ R of BERT's
 * {@code attention_probs_dropout_prob}, its mask R drawn inside the kernel from the counter positions the
 * descriptor names (and again in the backward: R is never stored).
 * Shapes: q [batch, seqQ, heads·d], k and v [batch, seqK, heads·d], the constant additive mask M [batch, 1, 1, seqK]
 * (or null), o [batch, seqQ, heads·d] with the heads merged. Self-attention may instead pass ONE input qkv
 * [batch, seq, 3·heads·d] holding q, k and v side by side (a fused projection's output): its gradient is then one
 * packed [batch, seq, 3·heads·d] tensor [dq, dk, dv] rather than three zero-padded slices the engine would have to sum.
 *
 * <p>Forward: {@link Tensor#attention}, one fused kernel that never materialises S or P. Backward:
 * {@link Gradients#attention}, its fused twin, which recomputes P from the saved q, k, v (as FlashAttention does:
 * the [batch, heads, seqQ, seqK] probabilities are not kept between forward and backward), then, per head, with
 * G = dL/dO:
 * <pre>
 *   dV = (P ⊙ R)ᵀ G    dP = (G Vᵀ) ⊙ R
 *   dS = P ⊙ (dP − rowsum(dP ⊙ P)) · scale          (softmax backward)
 *   dQ = dS K          dK = dSᵀ Q
 * </pre>
 * writing the three gradients merged (into the one packed gradient for a packed input). Checked against the same
 * function composed from Matmul, MulScalar, Softmax and Dropout (FusedVersusComposedTest, with the mask the composed
 * dropout draws) and by finite differences, with and without dropout.
 */
public final class AttentionFn extends DifferentiableFunction {
    private final int heads;
    private final Tensor mask;
    private final double scale;
    /** Dropout on the probabilities (null: none): the mask's counter positions, drawn by the kernels both ways. */
    private final AttentionDropout dropout;
    /** Whether the forward got one packed qkv input rather than q, k, v. */
    private boolean packed;

    public AttentionFn(int heads, Tensor mask, double scale, AttentionDropout dropout) {
        this.heads = heads;
        this.mask = mask;
        this.scale = scale;
        this.dropout = dropout;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        packed = in.length == 1;
        Tensor[] qkv = packed ? thirds(in[0]) : in;
        save(in);
        return Tensor.attention(qkv[0], qkv[1], qkv[2], heads, mask, scale, dropout);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        if (packed) return new Tensor[] {Gradients.attention(saved(0), heads, mask, scale, dropout, g)};
        return Gradients.attention(saved(0), saved(1), saved(2), heads, mask, scale, dropout, g);
    }

    /** q, k, v as the three column blocks of a packed qkv [batch, seq, 3·width] (views). */
    private static Tensor[] thirds(Tensor qkv) {
        int width = qkv.size(2) / 3;
        if (qkv.rank() != 3 || qkv.size(2) != 3 * width) {
            throw new IllegalArgumentException("attention: a packed qkv must be [batch, seq, 3·heads·d], got "
                    + Arrays.toString(qkv.shape()));
        }
        return new Tensor[] {qkv.narrow(2, 0, width), qkv.narrow(2, width, width), qkv.narrow(2, 2 * width, width)};
    }
}
