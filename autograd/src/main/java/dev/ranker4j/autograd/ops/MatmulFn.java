package dev.ranker4j.autograd.ops;

import dev.ranker4j.autograd.DifferentiableFunction;
import dev.ranker4j.tensor.Tensor;

/**
 * C = op(A) · op(B), op(X) = X or Xᵀ (last two axes), batched over leading axes that broadcast.
 * Shapes: op(A) [..., m, k], op(B) [..., k, n], C [..., m, n].
 *
 * <p>Backward, from dL/dC = G [..., m, n] — each case is the plain-matmul rule dA = G·Bᵀ, dB = Aᵀ·G with the
 * transposes carried through, so no transposed copy is ever materialised:
 * <pre>
 *   C = A·B    dA = G·Bᵀ     dB = Aᵀ·G
 *   C = A·Bᵀ   dA = G·B      dB = Gᵀ·A
 *   C = Aᵀ·B   dA = B·Gᵀ     dB = A·G
 *   C = Aᵀ·Bᵀ  dA = Bᵀ·Gᵀ    dB = Gᵀ·Aᵀ
 * </pre>
 * Batch axes an operand was broadcast over are summed away by the engine.
 */
public final class MatmulFn extends DifferentiableFunction {
    private final boolean transA;
    private final boolean transB;

    public MatmulFn(boolean transA, boolean transB) {
        this.transA = transA;
        this.transB = transB;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        save(in[0], in[1]);
        return product(in[0], transA, in[1], transB);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor a = saved(0), b = saved(1);
        Tensor da = null, db = null;
        if (needsGrad(0)) da = transA ? product(b, transB, g, true) : product(g, false, b, !transB);
        if (needsGrad(1)) db = transB ? product(g, true, a, transA) : product(a, !transA, g, false);
        return new Tensor[] {da, db};
    }

    /** op(x) · op(y) through transposed views, which the tensor's matmul hands to GEMM as transposes (no copy). */
    private static Tensor product(Tensor x, boolean transX, Tensor y, boolean transY) {
        return lastTwoSwapped(x, transX).matmul(lastTwoSwapped(y, transY));
    }

    private static Tensor lastTwoSwapped(Tensor t, boolean swap) {
        return swap ? t.transpose(t.rank() - 2, t.rank() - 1) : t;
    }
}
