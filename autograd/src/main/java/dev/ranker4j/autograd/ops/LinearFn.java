package dev.ranker4j.autograd.ops;

import dev.ranker4j.autograd.DifferentiableFunction;
import dev.ranker4j.tensor.Tensor;

/**
 * A fully connected layer in one op: y = x · Wᵀ + b. Shapes: x [..., in], W [out, in] (PyTorch's layout), b [out]
 * (optional: the op has two inputs without it), y [..., out]. The leading axes of x are one block of
 * rows = Π leading sizes, so each pass is one GEMM over [rows, ·] matrices.
 *
 * <p>Forward: {@link Tensor#linear}, one GEMM with the bias added in its write-back (instead of a GEMM, then a
 * second pass over y for the bias). Backward, from G = dL/dy viewed as [rows, out] and x as [rows, in]:
 * <pre>
 *   dx = G · W        [rows, out] · [out, in]   one GEMM
 *   dW = Gᵀ · x       [out, rows] · [rows, in]  one GEMM, Gᵀ read as a transposed operand (no copy)
 *   db = Σ_rows G     [out]                     one reduction over the rows
 * </pre>
 * Equal to {@code matmul(x, Wᵀ) + b} composed from {@link MatmulFn} and {@link AddFn} (checked by
 * FusedVersusComposedTest), without the broadcast bias gradient that the engine would otherwise sum back.
 */
public final class LinearFn extends DifferentiableFunction {
    private boolean hasBias;

    @Override
    protected Tensor forward(Tensor... in) {
        hasBias = in.length > 2;
        save(in[0], in[1]);
        return in[0].linear(in[1], in.length > 2 ? in[2] : null);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor x = saved(0), weight = saved(1);
        int out = weight.size(0), in = weight.size(1);
        int rows = g.numel() / Math.max(out, 1);
        Tensor g2 = g.reshape(rows, out);                                    // a view for a contiguous g
        Tensor[] grads = new Tensor[hasBias ? 3 : 2];
        if (needsGrad(0)) grads[0] = g2.matmul(weight).reshape(x.shape());
        if (needsGrad(1)) grads[1] = g2.transpose(0, 1).matmul(x.reshape(rows, in));
        if (hasBias && needsGrad(2)) grads[2] = g2.sum(0, false);
        return grads;
    }
}
