package dev.ranker4j.tensor;

import dev.ranker4j.kernels.Backend;
import dev.ranker4j.kernels.Backends;

/**
 * Softmax and log-softmax along an axis, with an optional additive mask, and their backward.
 *
 * <p>softmax(x)_j = exp(x_j + mask_j) / Σ_i exp(x_i + mask_i). The kernel works on contiguous rows of the last axis,
 * so another axis is first moved last (a copy) and the result moved back (a view).
 *
 * <p>The mask is read in place whenever its broadcast layout fits the kernel's {@code maskRowRepeat}: the attention
 * mask [B, 1, 1, S] against scores [B, H, S, S] is one mask row per batch item, repeated for H·S consecutive rows.
 * Other masks (a causal [S, S] mask, say) are materialised to the full shape.
 */
final class TensorSoftmax {
    private TensorSoftmax() {}

    static Tensor forward(Tensor x, int axis, Tensor mask, boolean log) {
        String op = log ? "logSoftmax" : "softmax";
        Elementwise.requireComputable(op, x);
        if (mask != null) Elementwise.requireSameComputable(op, x, mask);
        int last = x.rank() - 1;
        int a = Shape.axis(op, axis, x.rank());
        Tensor rows = x.transpose(a, last).contiguous();
        int n = rows.size(-1);
        int rowCount = n == 0 ? 0 : rows.numel() / n;
        Tensor out = Tensor.output(x.dtype, rows.shape);
        MaskLayout maskLayout = null;
        if (mask != null) {
            Tensor broadcastMask = new Tensor(mask.storage, x.shape,
                    Shape.broadcastStrides(op + " mask", mask.shape, mask.strides, x.shape), mask.offset);
            maskLayout = MaskLayout.of(broadcastMask.transpose(a, last));
        }
        Backend backend = Backends.current();
        backend.softmaxRows(rows.ref(), maskLayout == null ? null : maskLayout.mask.ref(),
                maskLayout == null ? 1 : maskLayout.rowRepeat, rowCount, n, log, out.ref());
        return out.transpose(a, last);
    }

    static Tensor backward(Tensor y, Tensor dy, int axis, boolean log) {
        String op = log ? "logSoftmaxBackward" : "softmaxBackward";
        Elementwise.requireSameComputable(op, y, dy);
        if (!java.util.Arrays.equals(y.shape, dy.shape)) {
            throw new IllegalArgumentException(op + ": output shape " + Shape.format(y.shape) + " and gradient shape "
                    + Shape.format(dy.shape) + " differ");
        }
        int last = y.rank() - 1;
        int a = Shape.axis(op, axis, y.rank());
        Tensor yRows = y.transpose(a, last).contiguous(), dyRows = dy.transpose(a, last).contiguous();
        int n = yRows.size(-1);
        int rowCount = n == 0 ? 0 : yRows.numel() / n;
        Tensor dx = Tensor.output(y.dtype, yRows.shape);
        Backend backend = Backends.current();
        backend.softmaxBackwardRows(yRows.ref(), dyRows.ref(), rowCount, n, log, dx.ref());
        return dx.transpose(a, last);
    }

    /** A mask tensor and how many consecutive rows each of its rows serves. */
    private record MaskLayout(Tensor mask, int rowRepeat) {
        /**
         * Reads the mask (already broadcast to the rows' shape) as [rows / rowRepeat, n] rows. That works in place when the last
         * axis has unit stride, some trailing leading axes have stride 0 (their size product is rowRepeat) and the
         * axes before them address whole rows contiguously.
         */
        static MaskLayout of(Tensor mask) {
            int[] shape = mask.shape, strides = mask.strides;
            int rank = shape.length;
            int n = shape[rank - 1];
            boolean unitLast = n == 1 || strides[rank - 1] == 1;
            int split = rank - 1; // leading axes [split, rank-1) are broadcast (stride 0 or size 1)
            long repeat = 1;
            while (split > 0 && (strides[split - 1] == 0 || shape[split - 1] == 1)) {
                repeat *= shape[split - 1];
                split--;
            }
            boolean rowsContiguous = true;
            long expected = n;
            for (int axis = split - 1; axis >= 0; axis--) {
                if (shape[axis] == 1) continue;
                rowsContiguous &= strides[axis] == expected;
                expected *= shape[axis];
            }
            if (unitLast && rowsContiguous && repeat > 0) return new MaskLayout(mask, (int) repeat);
            return new MaskLayout(mask.contiguous(), 1);
        }
    }
}
