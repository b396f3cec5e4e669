package dev.ranker4j.tensor;

import dev.ranker4j.kernels.Backend;
import dev.ranker4j.kernels.Backends;
import dev.ranker4j.kernels.GemmShape;
import dev.ranker4j.kernels.Matrix;
import dev.ranker4j.kernels.UnaryOp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Matrix products: [..., m, k] · [..., k, n] → [..., m, n] with broadcast batch axes, dispatched to
 * {@link Backend#gemm} (batched or not).
 *
 * <p>No copies for the layouts that occur in transformers. A matrix whose last two strides are (ld, 1) is passed as
 * is; one with strides (1, ld) is the transpose of a row-major matrix and is passed with the kernel's trans flag (so
 * {@code a.matmul(b.transpose(-2, -1))} reads b in place). Batch axes become one kernel call when their strides
 * collapse to a single stride per operand (a broadcast operand has stride 0); otherwise the outer batch axes are
 * looped over and the innermost collapsed one is a batched call (attention heads viewed out of [B, S, H, D]). Only
 * matrices with neither unit stride are copied.
 */
final class TensorMatmul {
    private TensorMatmul() {}

    static Tensor matmul(Tensor a, Tensor b) {
        Elementwise.requireSameComputable("matmul", a, b);
        if (a.rank() == 0 || b.rank() == 0) {
            throw new IllegalArgumentException("matmul: shapes " + Shape.format(a.shape) + " and " + Shape.format(b.shape)
                    + " are incompatible: both operands need at least one dimension");
        }
        Tensor left = a.rank() == 1 ? a.unsqueeze(0) : a;     // vector · matrix: a row
        Tensor right = b.rank() == 1 ? b.unsqueeze(-1) : b;   // matrix · vector: a column
        int m = left.size(-2), k = left.size(-1), n = right.size(-1);
        if (right.size(-2) != k) {
            throw new IllegalArgumentException("matmul: shapes " + Shape.format(a.shape) + " and " + Shape.format(b.shape)
                    + " are incompatible: inner dims " + k + " != " + right.size(-2));
        }
        int[] batch;
        try {
            batch = Shape.broadcast("matmul", leading(left.shape), leading(right.shape));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("matmul: shapes " + Shape.format(a.shape) + " and " + Shape.format(b.shape)
                    + " are incompatible: batch dims " + Shape.format(leading(left.shape)) + " and "
                    + Shape.format(leading(right.shape)) + " do not broadcast");
        }
        Tensor out = Tensor.output(a.dtype, concat(batch, m, n));
        if (out.numel() > 0) {
            if (k == 0) out.fill(0);
            else multiply(asMatrices(left, batch, m, k), asMatrices(right, batch, k, n), out, batch, m, n, k);
        }
        Tensor result = out;
        if (a.rank() == 1) result = result.squeeze(-2);
        if (b.rank() == 1) result = result.squeeze(-1);
        return result;
    }

    /**
     * A linear layer, y = x · Wᵀ + b: x [..., in], weight [out, in], bias [out] or null → y [..., out]. The leading
     * axes of x are one block of rows, so this is a single {@link Backend#gemmBias} call (or a gemm without a bias):
     * W is read through its layout as the transposed operand (no copy), and the bias is added in the same pass.
     * Only an x whose rows cannot be viewed as a [rows, in] matrix, or a non-unit-stride bias, is copied first.
     */
    static Tensor linear(Tensor x, Tensor weight, Tensor bias) {
        return linear(x, weight, bias, null);
    }

    /** {@link #linear(Tensor, Tensor, Tensor)}, then {@code activation} (null: none) in the GEMM's epilogue. */
    static Tensor linear(Tensor x, Tensor weight, Tensor bias, UnaryOp activation) {
        Elementwise.requireSameComputable("linear", x, weight);
        if (bias != null) Elementwise.requireSameComputable("linear", x, bias);
        if (x.rank() == 0 || weight.rank() != 2 || (bias != null && bias.rank() != 1)) {
            throw new IllegalArgumentException("linear: needs x [..., in], weight [out, in] and bias [out], got x "
                    + Shape.format(x.shape) + ", weight " + Shape.format(weight.shape)
                    + (bias == null ? "" : ", bias " + Shape.format(bias.shape)));
        }
        int in = x.size(-1), out = weight.size(0);
        if (weight.size(1) != in || (bias != null && bias.size(0) != out)) {
            throw new IllegalArgumentException("linear: shapes x " + Shape.format(x.shape) + ", weight "
                    + Shape.format(weight.shape) + (bias == null ? "" : ", bias " + Shape.format(bias.shape))
                    + " are incompatible: weight must be [out, " + in + "] and bias [out]");
        }
        int rows = Shape.checkedSize("linear", Arrays.copyOf(x.shape, x.rank() - 1));
        int[] outShape = x.shape.clone();
        outShape[outShape.length - 1] = out;
        Tensor y = Tensor.output(x.dtype, outShape);
        if (y.numel() == 0) return y;
        Tensor matrix = x.rank() == 2 ? x : x.reshape(rows, in); // a view when the leading axes collapse
        Layout lx = Layout.of(matrix, rows, in);
        if (lx == null) { // a column-major x: make it row-major (rare; a transposed activation)
            matrix = matrix.contiguous();
            lx = Layout.of(matrix, rows, in);
        }
        // op(B) = Wᵀ [in, out]. W row-major [out, in] is that with the transpose flag; a transposed view of W is
        // already Wᵀ row-major.
        Tensor w = Layout.of(weight, out, in) != null ? weight : weight.contiguous();
        Layout lw = Layout.of(w, out, in);
        Tensor b = bias == null || bias.strides[0] == 1 || out == 1 ? bias : bias.contiguous();
        Backend backend = Backends.current();
        GemmShape shape = GemmShape.of(lx.transposed, !lw.transposed, rows, out, in);
        Matrix xm = Matrix.of(matrix.ref(), lx.ld), wm = Matrix.of(w.ref(), lw.ld), ym = Matrix.of(y.ref(), out);
        if (activation != null) backend.gemmBiasActivation(shape, 1, xm, wm, ym, b == null ? null : b.ref(), activation);
        else if (b == null) backend.gemm(shape, 1, xm, wm, 0, ym);
        else backend.gemmBias(shape, 1, xm, wm, ym, b.ref());
        return y;
    }

    /** An operand expanded to [batch..., rows, cols], copied first only if its matrix layout has no unit stride. */
    private static Tensor asMatrices(Tensor x, int[] batch, int rows, int cols) {
        Tensor regular = Layout.of(x, rows, cols) != null ? x : x.contiguous();
        return regular.expand(concat(batch, rows, cols));
    }

    /** How the kernel reads one matrix: transposed or not, with which leading dimension. */
    private record Layout(boolean transposed, int ld) {
        static Layout of(Tensor x, int rows, int cols) {
            int rowStride = x.strides[x.rank() - 2], colStride = x.strides[x.rank() - 1];
            if ((colStride == 1 || cols == 1) && (rows == 1 || rowStride >= cols)) {
                return new Layout(false, rows == 1 ? Math.max(cols, 1) : rowStride);
            }
            if ((rowStride == 1 || rows == 1) && (cols == 1 || colStride >= rows)) {
                return new Layout(true, cols == 1 ? Math.max(rows, 1) : colStride);
            }
            return null;
        }
    }

    private static void multiply(Tensor a, Tensor b, Tensor c, int[] batch, int m, int n, int k) {
        Layout la = Layout.of(a, m, k), lb = Layout.of(b, k, n);
        List<int[]> groups = collapseBatch(batch, a, b, c);   // each entry: {size, strideA, strideB, strideC}
        int[] inner = groups.isEmpty() ? new int[]{1, 0, 0, 0} : groups.getLast();
        List<int[]> outer = groups.isEmpty() ? List.of() : groups.subList(0, groups.size() - 1);
        int[] counter = new int[outer.size()];
        int aOff = a.offset, bOff = b.offset, cOff = c.offset;
        Backend backend = Backends.current();
        while (true) {
            backend.gemm(new GemmShape(inner[0], la.transposed, lb.transposed, m, n, k), 1,
                    new Matrix(a.storage.kernelArray(aOff), la.ld, inner[1]),
                    new Matrix(b.storage.kernelArray(bOff), lb.ld, inner[2]), 0,
                    new Matrix(c.storage.kernelArray(cOff), n, inner[3]));
            // Odometer over the outer batch groups, last fastest.
            int g = outer.size() - 1;
            for (; g >= 0; g--) {
                int[] group = outer.get(g);
                aOff += group[1];
                bOff += group[2];
                cOff += group[3];
                if (++counter[g] < group[0]) break;
                counter[g] = 0;
                aOff -= group[1] * group[0];
                bOff -= group[2] * group[0];
                cOff -= group[3] * group[0];
            }
            if (g < 0) return;
        }
    }

    /**
     * Merges adjacent batch axes wherever all three operands step through them evenly (stride of the outer axis =
     * stride of the inner one × its size), so [B, H] with contiguous strides becomes one axis of B·H matrices.
     */
    private static List<int[]> collapseBatch(int[] batch, Tensor a, Tensor b, Tensor c) {
        List<int[]> groups = new ArrayList<>();
        for (int axis = 0; axis < batch.length; axis++) {
            if (batch[axis] == 1) continue;
            int[] next = {batch[axis], a.strides[axis], b.strides[axis], c.strides[axis]};
            if (!groups.isEmpty()) {
                int[] last = groups.getLast();
                boolean even = true;
                for (int op = 1; op <= 3; op++) even &= last[op] == next[op] * next[0];
                if (even) {
                    last[0] *= next[0];
                    for (int op = 1; op <= 3; op++) last[op] = next[op];
                    continue;
                }
            }
            groups.add(next);
        }
        return groups;
    }

    private static int[] leading(int[] shape) {
        return Arrays.copyOf(shape, shape.length - 2);
    }

    private static int[] concat(int[] batch, int rows, int cols) {
        int[] shape = Arrays.copyOf(batch, batch.length + 2);
        shape[batch.length] = rows;
        shape[batch.length + 1] = cols;
        return shape;
    }
}
