package dev.ranker4j.tensor;

import dev.ranker4j.kernels.Backend;
import dev.ranker4j.kernels.Backends;
import dev.ranker4j.kernels.GemmShape;
import dev.ranker4j.kernels.Matrix;
import dev.ranker4j.kernels.ReduceOp;

/**
 * Reductions over any set of axes. The kernels reduce the last axis of a contiguous [rows, n] block, so the tensor
 * is permuted to (kept axes..., reduced axes...) and made contiguous: then each output element is one row. When the
 * reduced axes already come last in a contiguous tensor, the permutation is the identity and nothing is copied.
 *
 * <p>One special case avoids that copy where autograd needs it most: summing a contiguous tensor over its leading
 * axes (a bias gradient: [N, D] → [D]) is the vector-matrix product 1ᵀ · X, one GEMM.
 */
final class Reductions {
    private Reductions() {}

    static Tensor reduceAll(String opName, ReduceOp op, Tensor x) {
        int[] all = new int[x.rank()];
        for (int i = 0; i < all.length; i++) all[i] = i;
        return reduce(opName, op, x, all, false);
    }

    /** op over {@code axes}; the result keeps the other axes in order (and the reduced ones as 1 with keepDim). */
    static Tensor reduce(String opName, ReduceOp op, Tensor x, int[] axes, boolean keepDim) {
        Elementwise.requireComputable(opName, x);
        boolean[] reduced = Shape.axisSet(opName, axes, x.rank());
        Plan plan = new Plan(x, reduced);
        if ((op == ReduceOp.MAX || op == ReduceOp.MIN) && plan.n == 0) {
            throw new IllegalArgumentException(opName + ": cannot reduce over an empty axis of shape " + Shape.format(x.shape));
        }
        Tensor out = Tensor.output(x.dtype, plan.keptShape);
        if ((op == ReduceOp.SUM || op == ReduceOp.MEAN) && reducesLeadingAxesOfContiguous(x, reduced) && plan.rows > 1) {
            sumLeadingAxesByGemm(x, plan, op == ReduceOp.MEAN, out);
        } else {
            Tensor rows = x.permute(plan.order).contiguous();
            Backend backend = Backends.current();
            backend.reduceRows(op, rows.ref(), plan.rows, plan.n, out.ref());
        }
        return keepDim ? out.view(plan.keepDimShape) : out;
    }

    static MaxResult maxWithIndex(Tensor x, int axis, boolean keepDim) {
        Elementwise.requireComputable("maxWithIndex", x);
        boolean[] reduced = Shape.axisSet("maxWithIndex", new int[]{axis}, x.rank());
        Plan plan = new Plan(x, reduced);
        if (plan.n == 0) throw new IllegalArgumentException("maxWithIndex: axis " + axis + " of shape " + Shape.format(x.shape) + " is empty");
        Tensor rows = x.permute(plan.order).contiguous();
        Tensor values = Tensor.output(x.dtype, plan.keptShape);
        int[] indices = new int[plan.rows];
        Backend backend = Backends.current();
        backend.reduceRows(ReduceOp.MAX, rows.ref(), plan.rows, plan.n, values.ref());
        backend.argmaxRows(rows.ref(), plan.rows, plan.n, indices, 0);
        Tensor indexTensor = Tensor.wrap(indices, plan.keptShape).to(DType.I64);
        int[] shape = keepDim ? plan.keepDimShape : plan.keptShape;
        return new MaxResult(values.view(shape), indexTensor.view(shape));
    }

    /** Σ (x − mean)² / (N − correction), composed from the kernels above. */
    static Tensor var(Tensor x, int[] axes, int correction, boolean keepDim) {
        Tensor mean = reduce("var", ReduceOp.MEAN, x, axes, true);
        Tensor squares = x.sub(mean).square();
        long count = 1;
        for (int axis : axes) count *= x.size(axis);
        long divisor = count - correction;
        return reduce("var", ReduceOp.SUM, squares, axes, keepDim).div((double) divisor);
    }

    /** How a reduction lays the tensor out: axis order, the kept shape, and the [rows, n] block. */
    private static final class Plan {
        final int[] order, keptShape, keepDimShape;
        final int rows, n;

        Plan(Tensor x, boolean[] reduced) {
            int rank = x.rank(), kept = 0;
            for (boolean r : reduced) if (!r) kept++;
            order = new int[rank];
            keptShape = new int[kept];
            keepDimShape = x.shape.clone();
            int k = 0, r = kept;
            long rowCount = 1, n = 1;
            for (int axis = 0; axis < rank; axis++) {
                if (reduced[axis]) {
                    order[r++] = axis;
                    n *= x.shape[axis];
                    keepDimShape[axis] = 1;
                } else {
                    keptShape[k] = x.shape[axis];
                    order[k++] = axis;
                    rowCount *= x.shape[axis];
                }
            }
            this.rows = (int) rowCount;
            this.n = (int) n;
        }
    }

    private static boolean reducesLeadingAxesOfContiguous(Tensor x, boolean[] reduced) {
        if (!x.isContiguous()) return false;
        boolean seenKept = false;
        for (boolean r : reduced) {
            if (r && seenKept) return false;
            if (!r) seenKept = true;
        }
        return true;
    }

    /** out[j] = Σ_i X[i, j] (÷ n for the mean) as ones[1, n] · X[n, rows]: column sums without a transposing copy. */
    private static void sumLeadingAxesByGemm(Tensor x, Plan plan, boolean mean, Tensor out) {
        Backend backend = Backends.current();
        int n = plan.n, cols = plan.rows;
        if (n == 0) {
            if (mean) out.fill(Double.NaN); // 0/0, as the row kernel and PyTorch give
            return;
        }
        Tensor ones = Tensor.ones(x.dtype, n);
        double alpha = !mean ? 1 : x.dtype == DType.F32 ? 1f / n : 1.0 / n; // 1/n rounded as the float path rounds it
        backend.gemm(GemmShape.of(false, false, 1, cols, n), alpha, Matrix.of(ones.ref(), n), Matrix.of(x.ref(), cols),
                0, Matrix.of(out.ref(), cols));
    }
}
