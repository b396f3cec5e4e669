package dev.ranker4j.tensor;

import dev.ranker4j.kernels.Backend;
import dev.ranker4j.kernels.Backends;

/**
 * Fused multi-head attention on hidden-state layouts: {@link Backend#attention} reads the heads of q, k and v where
 * they lie in [batch, seq, heads·d] (column windows of one fused projection are fine) and writes the merged
 * [batch, seqQ, heads·d] output, so neither the [batch, heads, seqQ, seqK] scores nor a head split or merge ever
 * becomes a tensor. The composed twin is matmul → softmax → matmul on head views (see the tests).
 */
final class Attention {
    private Attention() {}

    static Tensor attention(Tensor q, Tensor k, Tensor v, int heads, Tensor mask, double scale) {
        Elementwise.requireSameComputable("attention", q, k);
        Elementwise.requireSameComputable("attention", q, v);
        if (mask != null) Elementwise.requireSameComputable("attention", q, mask);
        if (q.rank() != 3 || k.rank() != 3 || v.rank() != 3 || heads < 1 || q.size(2) % heads != 0
                || k.size(2) != q.size(2) || v.size(2) != q.size(2) || k.size(0) != q.size(0) || v.size(0) != q.size(0)
                || k.size(1) != v.size(1)) {
            throw new IllegalArgumentException("attention: needs q [batch, seqQ, heads·d], k and v [batch, seqK, heads·d]"
                    + " with heads = " + heads + " dividing the width, got q " + Shape.format(q.shape) + ", k "
                    + Shape.format(k.shape) + ", v " + Shape.format(v.shape));
        }
        int batch = q.size(0), seqQ = q.size(1), seqK = k.size(1), width = q.size(2), d = width / heads;
        if (mask != null && (mask.numel() != batch * seqK || mask.size(0) != batch || mask.size(-1) != seqK)) {
            throw new IllegalArgumentException("attention: the additive mask must hold one row of seqK = " + seqK
                    + " values per sequence ([batch, 1, 1, seqK]), got " + Shape.format(mask.shape) + " for " + batch + " sequences");
        }
        Tensor out = Tensor.zeros(q.dtype, batch, seqQ, width);
        if (out.numel() == 0) return out;
        Tensor qr = rows(q), kr = rows(k), vr = rows(v);
        Tensor m = mask == null ? null : mask.contiguous();
        Backend backend = Backends.current();
        if (q.dtype == DType.F32) {
            backend.attention(batch, heads, seqQ, seqK, d, (float) scale,
                    qr.storage.kernelFloats(), qr.offset, rowStride(qr, width), kr.storage.kernelFloats(), kr.offset, rowStride(kr, width),
                    vr.storage.kernelFloats(), vr.offset, rowStride(vr, width), m == null ? null : m.storage.kernelFloats(),
                    m == null ? 0 : m.offset, out.storage.kernelFloats(), 0, width);
        } else {
            backend.attention(batch, heads, seqQ, seqK, d, scale,
                    qr.storage.kernelDoubles(), qr.offset, rowStride(qr, width), kr.storage.kernelDoubles(), kr.offset, rowStride(kr, width),
                    vr.storage.kernelDoubles(), vr.offset, rowStride(vr, width), m == null ? null : m.storage.kernelDoubles(),
                    m == null ? 0 : m.offset, out.storage.kernelDoubles(), 0, width);
        }
        return out;
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
