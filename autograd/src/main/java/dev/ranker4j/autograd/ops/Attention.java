package dev.ranker4j.autograd.ops;

import dev.ranker4j.autograd.Function;
import dev.ranker4j.tensor.Tensor;

/**
 * Multi-head scaled dot-product attention in one op (Vaswani et al. 2017, eq. 1), per sequence b and head h:
 * <pre>
 *   S = scale · Q Kᵀ,   P = softmax(S + M),   O = P V
 * </pre>
 * Shapes: q [batch, seqQ, heads·d], k and v [batch, seqK, heads·d], the constant additive mask M [batch, 1, 1, seqK]
 * (or null), o [batch, seqQ, heads·d] with the heads merged.
 *
 * <p>Forward: {@link Tensor#attention}, one fused kernel that never materialises S or P. Backward recomputes P from
 * the saved q, k, v (as FlashAttention does: the [batch, heads, seqQ, seqK] probabilities are not kept between
 * forward and backward), then, on head views Q_h, K_h, V_h and G_h = dL/dO_h:
 * <pre>
 *   dV = Pᵀ G          dP = G Vᵀ
 *   dS = P ⊙ (dP − rowsum(dP ⊙ P)) · scale          (softmax backward)
 *   dQ = dS K          dK = dSᵀ Q
 * </pre>
 * Checked against the same function composed from Matmul, MulScalar and Softmax (FusedVersusComposedTest).
 */
public final class Attention extends Function {
    private final int heads;
    private final Tensor mask;
    private final double scale;

    public Attention(int heads, Tensor mask, double scale) {
        this.heads = heads;
        this.mask = mask;
        this.scale = scale;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        save(in[0], in[1], in[2]);
        return Tensor.attention(in[0], in[1], in[2], heads, mask, scale);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor qh = split(saved(0)), kh = split(saved(1)), vh = split(saved(2)), gh = split(g);
        Tensor p = qh.matmul(kh.transpose(-1, -2)).mul(scale).softmax(-1, mask);         // [B, H, Sq, Sk]
        Tensor dv = needsGrad(2) ? merge(p.transpose(-1, -2).matmul(gh)) : null;
        if (!needsGrad(0) && !needsGrad(1)) return new Tensor[] {null, null, dv};
        Tensor ds = p.softmaxBackward(gh.matmul(vh.transpose(-1, -2)), -1).mul(scale);
        Tensor dq = needsGrad(0) ? merge(ds.matmul(kh)) : null;
        Tensor dk = needsGrad(1) ? merge(ds.transpose(-1, -2).matmul(qh)) : null;
        return new Tensor[] {dq, dk, dv};
    }

    /** [batch, seq, heads·d] → [batch, heads, seq, d] as a view. */
    private Tensor split(Tensor x) {
        int batch = x.size(0), seq = x.size(1), d = x.size(2) / heads;
        return x.reshape(batch, seq, heads, d).permute(0, 2, 1, 3);
    }

    /** [batch, heads, seq, d] → [batch, seq, heads·d] (a copy). */
    private static Tensor merge(Tensor x) {
        return x.permute(0, 2, 1, 3).reshape(x.size(0), x.size(2), x.size(1) * x.size(3));
    }
}
