package dev.ranker4j.tensor;

import dev.ranker4j.kernels.AttentionDropout;
import dev.ranker4j.kernels.AttentionInputs;
import dev.ranker4j.kernels.AttentionShape;
import dev.ranker4j.kernels.Backend;
import dev.ranker4j.kernels.Backends;
import dev.ranker4j.kernels.Matrix;

/**
 * Fused multi-head attention on hidden-state layouts: {@link Backend#attention} reads the heads of q, k and v where
 * they lie in [batch, seq, heads·d] (column windows of one fused projection are fine) and writes the merged
 * [batch, seqQ, heads·d] output, so neither the [batch, heads, seqQ, seqK] scores nor a head split or merge ever
 * becomes a tensor. {@link Backend#attentionBackward} does the same for the gradients, writing dq, dk and dv merged
 * (into one packed [batch, seq, 3·heads·d] gradient when the input was one packed qkv). The composed twins are
 * matmul → softmax → (dropout) → matmul on head views and their backward (see the tests). With an
 * {@link AttentionDropout} the kernels multiply the probabilities by the mask the composed path's dropout would draw
 * at the same counter positions, forward and (drawn again) backward.
 */
final class TensorAttention {
    private TensorAttention() {}

    static Tensor attention(Tensor q, Tensor k, Tensor v, int heads, Tensor mask, double scale, AttentionDropout dropout) {
        Shapes s = Shapes.of("attention", q, k, v, heads, mask, null);
        Tensor out = Tensor.output(q.dtype, s.batch, s.seqQ, s.width);
        if (out.numel() == 0) return out;
        Tensor qr = rows(q), kr = rows(k), vr = rows(v);
        Tensor m = mask == null ? null : mask.contiguous();
        Backend backend = Backends.current();
        backend.attention(s.kernelShape(heads), scale, inputs(qr, kr, vr, m, s.width), dropout, Matrix.of(out.ref(), s.width));
        return out;
    }

    /** {dq, dk, dv}, each merged like its input. */
    static Tensor[] backward(Tensor q, Tensor k, Tensor v, int heads, Tensor mask, double scale, AttentionDropout dropout,
                             Tensor gradOut) {
        Shapes s = Shapes.of("attentionBackward", q, k, v, heads, mask, gradOut);
        Tensor dq = Tensor.output(q.dtype, s.batch, s.seqQ, s.width);
        Tensor dk = Tensor.output(q.dtype, s.batch, s.seqK, s.width), dv = Tensor.output(q.dtype, s.batch, s.seqK, s.width);
        runBackward(s, heads, scale, q, k, v, mask, dropout, gradOut, dq, 0, dk, 0, dv, 0, s.width);
        return new Tensor[] {dq, dk, dv};
    }

    /** The gradient of a packed qkv [batch, seq, 3·width]: [dq, dk, dv] side by side, written in place by the kernel. */
    static Tensor backwardPacked(Tensor qkv, int heads, Tensor mask, double scale, AttentionDropout dropout,
                                 Tensor gradOut) {
        int width = qkv.rank() == 3 ? qkv.size(2) / 3 : 0;
        if (qkv.rank() != 3 || qkv.size(2) != 3 * width) {
            throw new IllegalArgumentException("attentionBackward: a packed qkv must be [batch, seq, 3·heads·d], got "
                    + Shape.format(qkv.shape));
        }
        Tensor q = qkv.narrow(2, 0, width), k = qkv.narrow(2, width, width), v = qkv.narrow(2, 2 * width, width);
        Shapes s = Shapes.of("attentionBackward", q, k, v, heads, mask, gradOut);
        Tensor grad = Tensor.output(qkv.dtype, s.batch, s.seqQ, 3 * width);
        runBackward(s, heads, scale, q, k, v, mask, dropout, gradOut, grad, 0, grad, width, grad, 2 * width, 3 * width);
        return grad;
    }

    /** dq, dk, dv are fresh contiguous tensors (possibly one): each gradient starts at its offset, rows gradStride apart. */
    private static void runBackward(Shapes s, int heads, double scale, Tensor q, Tensor k, Tensor v, Tensor mask,
                                    AttentionDropout dropout, Tensor gradOut, Tensor dq, int dqAt, Tensor dk, int dkAt, Tensor dv, int dvAt,
                                    int gradStride) {
        if (s.batch == 0 || s.width == 0) return; // nothing to write
        Tensor qr = rows(q), kr = rows(k), vr = rows(v), gr = rows(gradOut);
        Tensor m = mask == null ? null : mask.contiguous();
        Backend backend = Backends.current();
        int w = s.width;
        backend.attentionBackward(s.kernelShape(heads), scale, inputs(qr, kr, vr, m, w), dropout,
                Matrix.of(gr.ref(), rowStride(gr, w)),
                Matrix.of(dq.storage.kernelArray(dqAt), gradStride), Matrix.of(dk.storage.kernelArray(dkAt), gradStride),
                Matrix.of(dv.storage.kernelArray(dvAt), gradStride));
    }

    /** q, k, v as [batch·seq, width] row matrices, and the mask (null: none), as the kernel reads them. */
    private static AttentionInputs inputs(Tensor qr, Tensor kr, Tensor vr, Tensor mask, int width) {
        return new AttentionInputs(Matrix.of(qr.ref(), rowStride(qr, width)), Matrix.of(kr.ref(), rowStride(kr, width)),
                Matrix.of(vr.ref(), rowStride(vr, width)), mask == null ? null : mask.ref());
    }

    /** The sizes of one attention call, checked: q [batch, seqQ, width], k and v [batch, seqK, width], width = heads·d. */
    private record Shapes(int batch, int seqQ, int seqK, int width, int d) {

        AttentionShape kernelShape(int heads) {
            return new AttentionShape(batch, heads, seqQ, seqK, d);
        }

        /** {@code gradOut} (null for the forward) must be [batch, seqQ, width] like the forward's output. */
        static Shapes of(String op, Tensor q, Tensor k, Tensor v, int heads, Tensor mask, Tensor gradOut) {
            Elementwise.requireSameComputable(op, q, k);
            Elementwise.requireSameComputable(op, q, v);
            if (mask != null) Elementwise.requireSameComputable(op, q, mask);
            if (gradOut != null) Elementwise.requireSameComputable(op, q, gradOut);
            if (q.rank() != 3 || k.rank() != 3 || v.rank() != 3 || heads < 1 || q.size(2) % heads != 0
                    || k.size(2) != q.size(2) || v.size(2) != q.size(2) || k.size(0) != q.size(0) || v.size(0) != q.size(0)
                    || k.size(1) != v.size(1)) {
                throw new IllegalArgumentException(op + ": needs q [batch, seqQ, heads·d], k and v [batch, seqK, heads·d]"
                        + " with heads = " + heads + " dividing the width, got q " + Shape.format(q.shape) + ", k "
                        + Shape.format(k.shape) + ", v " + Shape.format(v.shape));
            }
            int batch = q.size(0), seqQ = q.size(1), seqK = k.size(1), width = q.size(2);
            if (mask != null && (mask.numel() != batch * seqK || mask.size(0) != batch || mask.size(-1) != seqK)) {
                throw new IllegalArgumentException(op + ": the additive mask must hold one row of seqK = " + seqK
                        + " values per sequence ([batch, 1, 1, seqK]), got " + Shape.format(mask.shape) + " for "
                        + batch + " sequences");
            }
            if (gradOut != null && (gradOut.rank() != 3 || gradOut.size(0) != batch || gradOut.size(1) != seqQ
                    || gradOut.size(2) != width)) {
                throw new IllegalArgumentException(op + ": the output gradient must be [batch, seqQ, heads·d] = "
                        + Shape.format(new int[] {batch, seqQ, width}) + ", got " + Shape.format(gradOut.shape));
            }
            return new Shapes(batch, seqQ, seqK, width, width / heads);
        }
    }

    /** [batch, seq, width] as [batch·seq, width] rows with a unit column stride: a view when possible, else a copy. */
    private static Tensor rows(Tensor x) {
        Tensor matrix = x.reshape(x.size(0) * x.size(1), x.size(2));
        boolean unitColumns = matrix.strides[1] == 1 || matrix.size(1) == 1;
        boolean separateRows = matrix.size(0) <= 1 || matrix.strides[0] >= matrix.size(1); // not a broadcast
        return unitColumns && separateRows ? matrix : matrix.contiguous();
    }

    private static int rowStride(Tensor matrix, int width) {
        return matrix.size(0) <= 1 ? Math.max(width, matrix.strides[0]) : matrix.strides[0];
    }
}
