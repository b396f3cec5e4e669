package dev.ranker4j.tensor;

import dev.ranker4j.kernels.Backend;
import dev.ranker4j.kernels.Backends;
import dev.ranker4j.kernels.BinaryOp;
import dev.ranker4j.kernels.Strided;
import dev.ranker4j.kernels.UnaryOp;

/**
 * Elementwise ops: unary kernels, binary kernels with NumPy broadcasting, where, and the in-place updates.
 *
 * <p>Broadcasting costs no copy: each operand is handed to {@link Backend#binary} with strides for the output shape,
 * 0 along the axes it is broadcast over.
 */
final class Elementwise {
    private Elementwise() {}

    /** out = op(x, param), contiguous, same shape and dtype. */
    static Tensor unary(String opName, UnaryOp op, double param, Tensor x) {
        requireComputable(opName, x);
        Tensor in = x.contiguous();
        Tensor out = Tensor.output(x.dtype, x.shape);
        int n = out.numel();
        Backend backend = Backends.current();
        backend.unary(op, param, in.ref(), out.ref(), n);
        return out;
    }

    /**
     * dx = dy · op′(x) for x the forward input of {@code op}, through {@link Backend#unaryBackward}: one pass over
     * contiguous operands; strided ones are made contiguous first. x and dy must have the same shape and dtype.
     */
    static Tensor unaryBackward(UnaryOp op, double param, Tensor x, Tensor dy) {
        String opName = "unaryBackward(" + op + ")";
        requireSameComputable(opName, x, dy);
        if (!java.util.Arrays.equals(x.shape, dy.shape)) {
            throw new IllegalArgumentException(opName + ": the gradient " + dy.describe() + " must have the shape of"
                    + " the input " + x.describe());
        }
        Tensor in = x.contiguous(), gradient = dy.contiguous();
        Tensor dx = Tensor.output(x.dtype, x.shape);
        int n = dx.numel();
        Backend backend = Backends.current();
        backend.unaryBackward(op, param, in.ref(), gradient.ref(), dx.ref(), n);
        return dx;
    }

    /** out = op(a, b) over the broadcast shape of a and b. */
    static Tensor binary(String opName, BinaryOp op, Tensor a, Tensor b) {
        requireSameComputable(opName, a, b);
        int[] shape = Shape.broadcast(opName, a.shape, b.shape);
        Tensor out = Tensor.output(a.dtype, shape);
        binaryInto(op, shape, a, b, out);
        return out;
    }

    /** Runs the binary kernel writing the contiguous tensor {@code out} (of the broadcast shape). */
    private static void binaryInto(BinaryOp op, int[] shape, Tensor a, Tensor b, Tensor out) {
        int[] aStrides = Shape.broadcastStrides(op.name(), a.shape, a.strides, shape);
        int[] bStrides = Shape.broadcastStrides(op.name(), b.shape, b.strides, shape);
        Backend backend = Backends.current();
        backend.binary(op, shape, new Strided(a.ref(), aStrides), new Strided(b.ref(), bStrides), out.ref());
    }

    static Tensor where(Tensor condition, Tensor a, Tensor b) {
        requireSameComputable("where", a, b);
        Tensor cond = condition.to(a.dtype);
        int[] shape = Shape.broadcast("where", Shape.broadcast("where", cond.shape, a.shape), b.shape);
        int[] cs = Shape.broadcastStrides("where", cond.shape, cond.strides, shape);
        int[] as = Shape.broadcastStrides("where", a.shape, a.strides, shape);
        int[] bs = Shape.broadcastStrides("where", b.shape, b.strides, shape);
        Tensor out = Tensor.output(a.dtype, shape);
        Backend backend = Backends.current();
        backend.where(shape, new Strided(cond.ref(), cs), new Strided(a.ref(), as), new Strided(b.ref(), bs), out.ref());
        return out;
    }

    /**
     * target += scale · other. A contiguous target is updated by the binary kernel writing over its own first
     * operand, which is safe because every output element depends only on the input elements at the same position;
     * a strided target is computed into a fresh buffer and written back through its strides.
     */
    static void addInPlace(Tensor target, Tensor other, double scale) {
        requireSameComputable("addInPlace", target, other);
        Shape.broadcastStrides("addInPlace", other.shape, other.strides, target.shape); // shape check, with message
        Tensor addend = scale == 1 ? other : unary("addInPlace", UnaryOp.MUL_SCALAR, scale, other);
        if (target.isContiguous() && target.storage != other.storage) {
            binaryInto(BinaryOp.ADD, target.shape, target, addend, target);
        } else {
            Tensor sum = binary("addInPlace", BinaryOp.ADD, target, addend);
            Conversions.scatterContiguous(sum.storage.hostRead(), target);
        }
    }

    /** target *= factor, through the unary kernel (which allows in-place operation). */
    static void mulInPlace(Tensor target, double factor) {
        unaryInPlace("mulInPlace", UnaryOp.MUL_SCALAR, factor, target);
    }

    /** target = op(target), through the unary kernel (which allows in-place operation). */
    static void unaryInPlace(String opName, UnaryOp op, double param, Tensor target) {
        requireComputable(opName, target);
        if (target.isContiguous()) {
            int n = target.numel();
            Backend backend = Backends.current();
            backend.unary(op, param, target.ref(), target.ref(), n);
        } else {
            Tensor result = unary(opName, op, param, target);
            Conversions.scatterContiguous(result.storage.hostRead(), target);
        }
    }

    /** Throws unless x is F32 or F64, telling F16/BF16 and integer users what to do. */
    static void requireComputable(String opName, Tensor x) {
        if (!x.dtype.isComputable()) {
            String advice = x.dtype.isFloatingPoint()
                    ? " is a storage-only dtype; convert with to(DType.F32) first"
                    : " holds integers (ids, masks); convert with to(DType.F32) first if arithmetic is really meant";
            throw new IllegalArgumentException(opName + ": tensor " + x.describe() + advice);
        }
    }

    /** Both operands computable and of the same dtype: no silent F32/F64 promotion. */
    static void requireSameComputable(String opName, Tensor a, Tensor b) {
        requireComputable(opName, a);
        requireComputable(opName, b);
        if (a.dtype != b.dtype) {
            throw new IllegalArgumentException(opName + ": operands " + a.describe() + " and " + b.describe()
                    + " have different dtypes; convert one with to(...) (ranker4j never promotes silently)");
        }
    }
}
