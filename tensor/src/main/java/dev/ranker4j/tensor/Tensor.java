package dev.ranker4j.tensor;

import dev.ranker4j.kernels.ArrayRef;
import dev.ranker4j.kernels.BinaryOp;
import dev.ranker4j.kernels.ReduceOp;
import dev.ranker4j.kernels.UnaryOp;

import java.util.Arrays;
import java.util.List;

/**
 * An n-dimensional array: a {@link Storage}, a shape, strides and an offset. Element {@code [i0, i1, ...]} lives at
 * {@code storage[offset + Σ i_k · strides[k]]}, so transposing, slicing, broadcasting and most reshapes are views
 * that share the storage and copy nothing.
 *
 * <p>Tensors are immutable values except for the few methods whose names end in {@code InPlace} plus {@link #fill}
 * and {@link #copyFrom}: those write into the storage (and so into every view of it); they exist for optimizers and
 * gradient accumulation. Every other method returns a new tensor or a view.
 *
 * <p>Where to find things: this class holds the core (factories, views, element access, conversion, in-place
 * helpers) and one-line entry points for every op. The ops themselves live in small package-private classes, one
 * family each: {@link Elementwise}, {@link Reductions}, {@link TensorMatmul}, {@link TensorSoftmax}, {@link TensorLayerNorm},
 * {@link TensorEmbedding}, {@link Joining}, {@link Conversions}. Random tensors come from {@link SeededRandom}. Every
 * computation goes through the current {@link dev.ranker4j.kernels.Backend}; this package only does shapes, strides
 * and dispatch.
 *
 * <p>Arithmetic runs on F32 and F64 only; both operands of a binary op must have the same dtype (no silent
 * promotion: mixing F32 and F64 is a mistake in a model and is reported as one). Axes may be negative (-1 = last).
 */
public final class Tensor {
    final Storage storage;
    final DType dtype;
    final int[] shape;
    final int[] strides;
    final int offset;

    Tensor(Storage storage, int[] shape, int[] strides, int offset) {
        this.storage = storage;
        this.dtype = storage.dtype();
        this.shape = shape;
        this.strides = strides;
        this.offset = offset;
    }

    // ================================================================================================= factories

    /** A new contiguous tensor of zeros. */
    public static Tensor zeros(DType dtype, int... shape) {
        int size = Shape.checkedSize("zeros", shape);
        return new Tensor(Storage.allocate(dtype, size), shape.clone(), Shape.contiguousStrides(shape), 0);
    }

    /**
     * A new contiguous tensor for an op's result that the kernel called next writes in full: like {@link #zeros}
     * outside a training step; inside one, the arena's array is handed out without zeroing it (see
     * {@link ActivationArena}).
     */
    static Tensor output(DType dtype, int... shape) {
        int size = Shape.checkedSize("output", shape);
        return new Tensor(Storage.allocateOutput(dtype, size), shape.clone(), Shape.contiguousStrides(shape), 0);
    }

    public static Tensor ones(DType dtype, int... shape) {
        return full(1, dtype, shape);
    }

    /** A new contiguous tensor with every element {@code value} (rounded to dtype). */
    public static Tensor full(double value, DType dtype, int... shape) {
        return zeros(dtype, shape).fill(value);
    }

    /** A rank-0 tensor holding one value. */
    public static Tensor scalar(double value, DType dtype) {
        return full(value, dtype);
    }

    /** [n]: 0, 1, ..., n-1. */
    public static Tensor arange(int n, DType dtype) {
        return arange(0, n, 1, dtype);
    }

    /** [⌈(end − start) / step⌉]: start, start + step, ... excluding end (as numpy.arange). */
    public static Tensor arange(double start, double end, double step, DType dtype) {
        if (step == 0) throw new IllegalArgumentException("arange: step must not be 0");
        int n = (int) Math.max(0, Math.ceil((end - start) / step));
        Tensor result = zeros(dtype, n);
        for (int i = 0; i < n; i++) result.storage.setFromDouble(i, start + i * step);
        return result;
    }

    /** A new F32 tensor holding a copy of {@code data} in row-major order. */
    public static Tensor fromArray(float[] data, int... shape) {
        return wrap(data.clone(), shape);
    }

    public static Tensor fromArray(double[] data, int... shape) {
        return wrap(data.clone(), shape);
    }

    public static Tensor fromArray(long[] data, int... shape) {
        return wrap(data.clone(), shape);
    }

    public static Tensor fromArray(int[] data, int... shape) {
        return wrap(data.clone(), shape);
    }

    /** An F32 tensor over {@code data} itself (no copy: later writes to the array show through). */
    public static Tensor wrap(float[] data, int... shape) {
        return wrap(Storage.of(data), shape);
    }

    public static Tensor wrap(double[] data, int... shape) {
        return wrap(Storage.of(data), shape);
    }

    public static Tensor wrap(long[] data, int... shape) {
        return wrap(Storage.of(data), shape);
    }

    public static Tensor wrap(int[] data, int... shape) {
        return wrap(Storage.of(data), shape);
    }

    /** A contiguous tensor over the whole storage; the shape's element count must equal the storage length. */
    public static Tensor wrap(Storage storage, int... shape) {
        int size = Shape.checkedSize("wrap", shape);
        if (size != storage.length()) {
            throw new IllegalArgumentException("wrap: shape " + Shape.format(shape) + " needs " + size
                    + " elements, the array has " + storage.length());
        }
        return new Tensor(storage, shape.clone(), Shape.contiguousStrides(shape), 0);
    }

    // ================================================================================================= accessors

    public DType dtype() {
        return dtype;
    }

    /** A copy of the shape. */
    public int[] shape() {
        return shape.clone();
    }

    /** Size of one axis (negative counts from the end). */
    public int size(int axis) {
        return shape[Shape.axis("size", axis, shape.length)];
    }

    public int rank() {
        return shape.length;
    }

    /** Number of elements. */
    public int numel() {
        return (int) Shape.size(shape);
    }

    /** A copy of the strides, in elements. */
    public int[] strides() {
        return strides.clone();
    }

    /** Position of element [0, ..., 0] in the storage. */
    public int offset() {
        return offset;
    }

    /** The storage this tensor views (shared with every other view of it). */
    public Storage storage() {
        return storage;
    }

    /** True when the elements lie in row-major order without gaps from {@link #offset()} on. */
    public boolean isContiguous() {
        return Shape.isContiguous(shape, strides);
    }

    // ===================================================================================================== views

    /** The same elements as {@code newShape} (one axis may be -1), sharing storage; fails when strides forbid it. */
    public Tensor view(int... newShape) {
        int[] target = Shape.inferShape("view", shape, newShape);
        int[] newStrides = Shape.viewStrides(shape, strides, target);
        if (newStrides == null) {
            throw new IllegalArgumentException("view: shape " + Shape.format(shape) + " with strides "
                    + Shape.format(strides) + " cannot be viewed as " + Shape.format(target)
                    + " without a copy; use reshape");
        }
        return new Tensor(storage, target, newStrides, offset);
    }

    /** Like {@link #view}, but copies to contiguous memory first when a view is impossible. */
    public Tensor reshape(int... newShape) {
        int[] target = Shape.inferShape("reshape", shape, newShape);
        int[] newStrides = Shape.viewStrides(shape, strides, target);
        return newStrides != null ? new Tensor(storage, target, newStrides, offset) : contiguous().view(target);
    }

    /** [numel]. */
    public Tensor flatten() {
        return reshape(-1);
    }

    /** Reorders axes: result axis i is this tensor's axis {@code order[i]}. */
    public Tensor permute(int... order) {
        if (order.length != shape.length) {
            throw new IllegalArgumentException("permute: order " + Arrays.toString(order) + " does not match rank "
                    + shape.length + " of shape " + Shape.format(shape));
        }
        Shape.axisSet("permute", order, shape.length);
        int[] newShape = new int[order.length], newStrides = new int[order.length];
        for (int i = 0; i < order.length; i++) {
            int axis = Shape.axis("permute", order[i], shape.length);
            newShape[i] = shape[axis];
            newStrides[i] = strides[axis];
        }
        return new Tensor(storage, newShape, newStrides, offset);
    }

    /** Swaps two axes (a view). */
    public Tensor transpose(int axisA, int axisB) {
        int a = Shape.axis("transpose", axisA, shape.length), b = Shape.axis("transpose", axisB, shape.length);
        int[] order = new int[shape.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        order[a] = b;
        order[b] = a;
        return permute(order);
    }

    /** Elements {@code start .. start+length-1} along {@code axis} (a view). */
    public Tensor narrow(int axis, int start, int length) {
        return slice(axis, start, start + length, 1);
    }

    /** Elements {@code start, start+step, ...} below {@code end} along {@code axis} (a view; step ≥ 1). */
    public Tensor slice(int axis, int start, int end, int step) {
        int a = Shape.axis("slice", axis, shape.length);
        if (step < 1 || start < 0 || end < start || end > shape[a]) {
            throw new IllegalArgumentException("slice: range [" + start + ", " + end + ") step " + step
                    + " is invalid for axis " + axis + " of size " + shape[a] + " in shape " + Shape.format(shape));
        }
        int[] newShape = shape.clone(), newStrides = strides.clone();
        newShape[a] = (end - start + step - 1) / step;
        newStrides[a] = strides[a] * step;
        return new Tensor(storage, newShape, newStrides, offset + start * strides[a]);
    }

    /** The sub-tensor at {@code index} along {@code axis}, with that axis removed (a view). */
    public Tensor select(int axis, int index) {
        int a = Shape.axis("select", axis, shape.length);
        if (index < 0 || index >= shape[a]) {
            throw new IndexOutOfBoundsException("select: index " + index + " is out of range for axis " + axis
                    + " of size " + shape[a] + " in shape " + Shape.format(shape));
        }
        return new Tensor(storage, remove(shape, a), remove(strides, a), offset + index * strides[a]);
    }

    /** Broadcasts to {@code target} (NumPy rules; -1 keeps a size) by giving repeated axes stride 0 (a view). */
    public Tensor expand(int... target) {
        int[] resolved = target.clone();
        int lead = target.length - shape.length;
        for (int i = 0; i < target.length; i++) {
            if (target[i] == -1) {
                if (i < lead) throw new IllegalArgumentException("expand: -1 is not allowed for a new leading axis in " + Arrays.toString(target));
                resolved[i] = shape[i - lead];
            }
        }
        return new Tensor(storage, resolved, Shape.broadcastStrides("expand", shape, strides, resolved), offset);
    }

    /** Same as {@link #expand} without the -1 convenience. */
    public Tensor broadcastTo(int... target) {
        return new Tensor(storage, target.clone(), Shape.broadcastStrides("broadcastTo", shape, strides, target), offset);
    }

    /** Removes every size-1 axis. */
    public Tensor squeeze() {
        Tensor result = this;
        for (int axis = shape.length - 1; axis >= 0; axis--) if (shape[axis] == 1) result = result.squeeze(axis);
        return result;
    }

    /** Removes one axis, which must have size 1. */
    public Tensor squeeze(int axis) {
        int a = Shape.axis("squeeze", axis, shape.length);
        if (shape[a] != 1) {
            throw new IllegalArgumentException("squeeze: axis " + axis + " of shape " + Shape.format(shape) + " has size " + shape[a] + ", not 1");
        }
        return new Tensor(storage, remove(shape, a), remove(strides, a), offset);
    }

    /** Inserts a size-1 axis so that it becomes axis {@code axis} of the result (-1 appends). */
    public Tensor unsqueeze(int axis) {
        int a = Shape.axis("unsqueeze", axis, shape.length + 1);
        int stride = a < shape.length ? strides[a] * shape[a] : 1;
        return new Tensor(storage, insert(shape, a, 1), insert(strides, a, stride), offset);
    }

    /** This tensor if contiguous, else a contiguous copy (via {@code Backend.copy} for F32/F64). */
    public Tensor contiguous() {
        return isContiguous() ? this : Conversions.copyToContiguous(this);
    }

    /** Always a new contiguous tensor with its own storage. */
    public Tensor copy() {
        return Conversions.copyToContiguous(this);
    }

    /** This tensor in another dtype: itself when already {@code target}, else a converted contiguous copy. */
    public Tensor to(DType target) {
        return target == dtype ? this : Conversions.convert(this, target);
    }

    // ============================================================================================ element access

    /** One element as a double (for tests and small inspections; integers beyond 2^53 round). */
    public double get(int... index) {
        int at = position("get", index);
        storage.hostRead();
        return storage.getAsDouble(at);
    }

    /** One element as a long (exact for I64/I32). */
    public long getLong(int... index) {
        int at = position("getLong", index);
        storage.hostRead();
        return storage.getAsLong(at);
    }

    /** The value of a one-element tensor. */
    public double item() {
        if (numel() != 1) throw new IllegalStateException("item: tensor of shape " + Shape.format(shape) + " is not one element");
        int at = position("item", new int[shape.length]);
        storage.hostRead();
        return storage.getAsDouble(at);
    }

    /**
     * start + Σ x² over the elements in row-major order, each square and sum in double, one element after another.
     * Sequential on purpose: a training step's gradient norm is then the same bits on any machine and thread count,
     * and a contiguous float or double tensor is read where it lies (a gradient norm over a BERT's 22 M parameters
     * used to copy them all to doubles first, 180 MB per step).
     */
    public double sumOfSquares(double start) {
        double sum = start;
        if (isContiguous() && (dtype == DType.F32 || dtype == DType.F64)) {
            Object array = storage.hostRead();
            int end = offset + numel();
            if (array instanceof float[] floats) {
                for (int i = offset; i < end; i++) {
                    double x = floats[i];
                    sum += x * x;
                }
            } else {
                double[] doubles = (double[]) array;
                for (int i = offset; i < end; i++) sum += doubles[i] * doubles[i];
            }
            return sum;
        }
        for (double x : toDoubleArray()) sum += x * x;
        return sum;
    }

    /** A row-major copy of the elements as floats. */
    public float[] toFloatArray() {
        return to(DType.F32).contiguousArrayCopy().storage.floats();
    }

    public double[] toDoubleArray() {
        return to(DType.F64).contiguousArrayCopy().storage.doubles();
    }

    public long[] toLongArray() {
        return to(DType.I64).contiguousArrayCopy().storage.longs();
    }

    public int[] toIntArray() {
        return to(DType.I32).contiguousArrayCopy().storage.ints();
    }

    private int position(String op, int[] index) {
        if (index.length != shape.length) {
            throw new IllegalArgumentException(op + ": index " + Arrays.toString(index) + " has " + index.length
                    + " coordinates for shape " + Shape.format(shape));
        }
        int at = offset;
        for (int axis = 0; axis < index.length; axis++) {
            if (index[axis] < 0 || index[axis] >= shape[axis]) {
                throw new IndexOutOfBoundsException(op + ": index " + Arrays.toString(index) + " is out of bounds for shape " + Shape.format(shape));
            }
            at += index[axis] * strides[axis];
        }
        return at;
    }

    /**
     * A tensor with its own storage of exactly numel elements at offset 0 (copy unless already so), never lent by an
     * {@link ActivationArena}: the arrays of toFloatArray() and friends outlive the training step they were read in.
     */
    private Tensor contiguousArrayCopy() {
        Tensor c = contiguous();
        boolean exact = c.offset == 0 && c.storage.length() == c.numel() && !c.storage.pooled();
        return exact && c != this ? c : ActivationArena.outside(c::copy);
    }

    // ========================================================================= in-place (the only mutating methods)

    /** Sets every element to {@code value}; returns this. */
    public Tensor fill(double value) {
        Conversions.fill(this, value);
        return this;
    }

    /** Copies {@code source} (broadcastable to this shape, same dtype) into this tensor's elements; returns this. */
    public Tensor copyFrom(Tensor source) {
        Conversions.copyInto(source, this);
        return this;
    }

    /** this += scale · other (other broadcastable to this shape): gradient accumulation and optimizer updates. */
    public Tensor addInPlace(Tensor other, double scale) {
        Elementwise.addInPlace(this, other, scale);
        return this;
    }

    /** this *= factor. */
    public Tensor mulInPlace(double factor) {
        Elementwise.mulInPlace(this, factor);
        return this;
    }

    /**
     * this = op(this) elementwise (e.g. an activation applied to a buffer nobody else reads, in inference); returns
     * this. Every view of the storage sees the change.
     */
    public Tensor applyInPlace(UnaryOp op, double param) {
        Elementwise.unaryInPlace("applyInPlace", op, param, this);
        return this;
    }

    // =========================================================================================== elementwise ops

    /** Any unary kernel op, e.g. {@code apply(UnaryOp.GELU_ERF_DERIVATIVE, 0)}; param is its scalar argument. */
    public Tensor apply(UnaryOp op, double param) {
        return Elementwise.unary(op.name().toLowerCase(), op, param, this);
    }

    /** Any binary kernel op with NumPy broadcasting. */
    public Tensor apply(BinaryOp op, Tensor other) {
        return Elementwise.binary(op.name().toLowerCase(), op, this, other);
    }

    public Tensor neg() { return apply(UnaryOp.NEG, 0); }
    public Tensor exp() { return apply(UnaryOp.EXP, 0); }
    public Tensor log() { return apply(UnaryOp.LOG, 0); }
    public Tensor sqrt() { return apply(UnaryOp.SQRT, 0); }
    public Tensor rsqrt() { return apply(UnaryOp.RSQRT, 0); }
    public Tensor tanh() { return apply(UnaryOp.TANH, 0); }
    public Tensor sigmoid() { return apply(UnaryOp.SIGMOID, 0); }
    public Tensor relu() { return apply(UnaryOp.RELU, 0); }
    public Tensor abs() { return apply(UnaryOp.ABS, 0); }
    public Tensor reciprocal() { return apply(UnaryOp.RECIPROCAL, 0); }
    public Tensor square() { return apply(UnaryOp.SQUARE, 0); }
    /** x · Φ(x), the exact GELU (BERT "gelu"). */
    public Tensor geluErf() { return apply(UnaryOp.GELU_ERF, 0); }
    /** The tanh approximation of GELU (BERT "gelu_new"). */
    public Tensor geluTanh() { return apply(UnaryOp.GELU_TANH, 0); }
    /** 1 where x &gt; 0 else 0 (the Heaviside step, relu's derivative). */
    public Tensor step() { return apply(UnaryOp.STEP, 0); }
    /** x^exponent. */
    public Tensor pow(double exponent) { return apply(UnaryOp.POW, exponent); }

    public Tensor add(Tensor other) { return apply(BinaryOp.ADD, other); }
    public Tensor sub(Tensor other) { return apply(BinaryOp.SUB, other); }
    public Tensor mul(Tensor other) { return apply(BinaryOp.MUL, other); }
    public Tensor div(Tensor other) { return apply(BinaryOp.DIV, other); }
    /** Elementwise maximum (NaN propagates). */
    public Tensor max(Tensor other) { return apply(BinaryOp.MAX, other); }
    public Tensor min(Tensor other) { return apply(BinaryOp.MIN, other); }
    /** Elementwise this^other. */
    public Tensor pow(Tensor other) { return apply(BinaryOp.POW, other); }

    public Tensor add(double value) { return apply(UnaryOp.ADD_SCALAR, value); }
    public Tensor sub(double value) { return apply(UnaryOp.ADD_SCALAR, -value); }
    public Tensor mul(double value) { return apply(UnaryOp.MUL_SCALAR, value); }
    /** True division by a scalar (not multiplication by its reciprocal, so results match {@code div(Tensor)}). */
    public Tensor div(double value) { return div(scalar(value, dtype)); }
    public Tensor max(double value) { return max(scalar(value, dtype)); }
    public Tensor min(double value) { return min(scalar(value, dtype)); }

    /** 1 where equal else 0, in this tensor's dtype. Likewise ne, lt, le, gt, ge. */
    public Tensor eq(Tensor other) { return apply(BinaryOp.EQ, other); }
    public Tensor ne(Tensor other) { return apply(BinaryOp.NE, other); }
    public Tensor lt(Tensor other) { return apply(BinaryOp.LT, other); }
    public Tensor le(Tensor other) { return apply(BinaryOp.LE, other); }
    public Tensor gt(Tensor other) { return apply(BinaryOp.GT, other); }
    public Tensor ge(Tensor other) { return apply(BinaryOp.GE, other); }
    public Tensor eq(double value) { return eq(scalar(value, dtype)); }
    public Tensor ne(double value) { return ne(scalar(value, dtype)); }
    public Tensor lt(double value) { return lt(scalar(value, dtype)); }
    public Tensor le(double value) { return le(scalar(value, dtype)); }
    public Tensor gt(double value) { return gt(scalar(value, dtype)); }
    public Tensor ge(double value) { return ge(scalar(value, dtype)); }

    /**
     * {@code condition ≠ 0 ? a : b} elementwise, all three broadcast together. a and b share a dtype (F32/F64); a
     * condition of another dtype (an I64 mask, say) is converted to it first.
     */
    public static Tensor where(Tensor condition, Tensor a, Tensor b) {
        return Elementwise.where(condition, a, b);
    }

    // ================================================================================================ reductions

    /** Sum of all elements: shape []. */
    public Tensor sum() { return Reductions.reduceAll("sum", ReduceOp.SUM, this); }
    /** Sum over {@code axes}; with keepDim they stay as size-1 axes. Likewise mean, min, logSumExp. */
    public Tensor sum(int[] axes, boolean keepDim) { return Reductions.reduce("sum", ReduceOp.SUM, this, axes, keepDim); }
    public Tensor sum(int axis, boolean keepDim) { return sum(new int[]{axis}, keepDim); }
    public Tensor mean() { return Reductions.reduceAll("mean", ReduceOp.MEAN, this); }
    public Tensor mean(int[] axes, boolean keepDim) { return Reductions.reduce("mean", ReduceOp.MEAN, this, axes, keepDim); }
    public Tensor mean(int axis, boolean keepDim) { return mean(new int[]{axis}, keepDim); }
    /** Maximum of all elements: shape []. */
    public Tensor max() { return Reductions.reduceAll("max", ReduceOp.MAX, this); }
    public Tensor max(int[] axes, boolean keepDim) { return Reductions.reduce("max", ReduceOp.MAX, this, axes, keepDim); }
    /** Maximum over one axis with the index where it occurs (the first on ties, as PyTorch), indices I64. */
    public MaxResult maxWithIndex(int axis, boolean keepDim) { return Reductions.maxWithIndex(this, axis, keepDim); }
    /** Index of the maximum along {@code axis} (I64). */
    public Tensor argmax(int axis, boolean keepDim) { return maxWithIndex(axis, keepDim).indices(); }
    public Tensor min() { return Reductions.reduceAll("min", ReduceOp.MIN, this); }
    public Tensor min(int[] axes, boolean keepDim) { return Reductions.reduce("min", ReduceOp.MIN, this, axes, keepDim); }
    /** log Σ exp(x) over {@code axes}, computed stably (shifted by the maximum). */
    public Tensor logSumExp(int[] axes, boolean keepDim) { return Reductions.reduce("logSumExp", ReduceOp.LOG_SUM_EXP, this, axes, keepDim); }
    public Tensor logSumExp(int axis, boolean keepDim) { return logSumExp(new int[]{axis}, keepDim); }
    /**
     * Variance over {@code axes}: Σ (x − mean)² / (N − correction), N elements per result; correction 0 is the
     * biased (population) variance layer norm uses, 1 the unbiased sample variance (PyTorch's {@code correction}).
     */
    public Tensor var(int[] axes, int correction, boolean keepDim) { return Reductions.var(this, axes, correction, keepDim); }

    // ============================================================================================ matrix products

    /**
     * Matrix product with PyTorch's rules: [..., m, k] · [..., k, n] → [..., m, n], batch axes broadcast; a 1-d
     * operand is a vector (its matrix axis is removed from the result). Transposed views are passed to the GEMM
     * kernel as transposes, without copying.
     */
    public Tensor matmul(Tensor other) {
        return TensorMatmul.matmul(this, other);
    }

    /**
     * A linear layer, x · Wᵀ + b, for this x [..., in], weight [out, in] (PyTorch's layout) and bias [out] (null:
     * none) → [..., out]. One GEMM with the bias added in its write-back ({@link dev.ranker4j.kernels.Backend#gemmBias});
     * equal to {@code matmul(weight.transpose(0, 1)).add(bias)} up to rounding.
     */
    public Tensor linear(Tensor weight, Tensor bias) {
        return TensorMatmul.linear(this, weight, bias);
    }

    /**
     * activation(x · Wᵀ + b) in one GEMM that applies the activation to each block of the output while the block is
     * still in cache ({@link dev.ranker4j.kernels.Backend#gemmBiasActivation}): the same bits as
     * {@code linear(weight, bias).apply(activation, 0)}, without a second pass over the output. For inference: the
     * values before the activation, which its derivative needs, are not kept.
     */
    public Tensor linear(Tensor weight, Tensor bias, UnaryOp activation) {
        return TensorMatmul.linear(this, weight, bias, activation);
    }

    /**
     * Multi-head scaled dot-product attention, softmax(scale · Q Kᵀ + mask) V per head, fused into one kernel
     * ({@link dev.ranker4j.kernels.Backend#attention}): q [batch, seqQ, heads·d], k and v [batch, seqK, heads·d]
     * (views such as column windows of a fused QKV projection are read in place), mask additive with one row of seqK
     * values per sequence ([batch, 1, 1, seqK]; null for none) → [batch, seqQ, heads·d] with the heads merged.
     * {@code dropout} (null: none) drops probabilities inside the kernel, with the mask
     * {@link SeededRandom#dropoutMask} would draw for them at its positions ({@link SeededRandom#attentionDropout}).
     */
    public static Tensor attention(Tensor q, Tensor k, Tensor v, int heads, Tensor mask, double scale,
                                   dev.ranker4j.kernels.AttentionDropout dropout) {
        return TensorAttention.attention(q, k, v, heads, mask, scale, dropout);
    }

    // ======================================================================================== fused row-wise ops

    /** Softmax along {@code axis}. */
    public Tensor softmax(int axis) {
        return TensorSoftmax.forward(this, axis, null, false);
    }

    /** Softmax along {@code axis} of (this + mask), mask additive and broadcastable to this shape (null: none). */
    public Tensor softmax(int axis, Tensor mask) {
        return TensorSoftmax.forward(this, axis, mask, false);
    }

    public Tensor logSoftmax(int axis) {
        return TensorSoftmax.forward(this, axis, null, true);
    }

    public Tensor logSoftmax(int axis, Tensor mask) {
        return TensorSoftmax.forward(this, axis, mask, true);
    }

    /**
     * Layer norm over the last axis: (x − mean) / √(var + eps) · gamma + beta with gamma, beta of shape [D] (either
     * may be null). Returns the output and the per-row mean and 1/std its backward needs.
     */
    public LayerNormResult layerNorm(Tensor gamma, Tensor beta, double eps) {
        return TensorLayerNorm.forward(this, gamma, beta, eps);
    }

    // ============================================================================================= indexing

    /** Embedding lookup: table [V, D] (this), ids of any shape (I64/I32) → [..ids shape, D]. */
    public Tensor embedding(Tensor ids) {
        return TensorEmbedding.gather(this, ids);
    }


    // ===================================================================================== joining and splitting

    /** Joins tensors along an existing axis; the other sizes must match. */
    public static Tensor concat(int axis, List<Tensor> tensors) {
        return Joining.concat(axis, tensors);
    }

    /** Joins equal-shaped tensors along a new axis. */
    public static Tensor stack(int axis, List<Tensor> tensors) {
        return Joining.stack(axis, tensors);
    }

    /** Views of consecutive pieces along {@code axis} with the given sizes (which must sum to the axis size). */
    public List<Tensor> split(int axis, int... sizes) {
        return Joining.split(this, axis, sizes);
    }

    /** {@code chunks} views along {@code axis}, as equal as possible (the last may be smaller, as torch.chunk). */
    public List<Tensor> chunk(int chunks, int axis) {
        return Joining.chunk(this, chunks, axis);
    }

    // ===================================================================================================== misc

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("Tensor(").append(dtype).append(", ").append(Shape.format(shape));
        if (numel() <= 16) text.append(", ").append(Arrays.toString(toDoubleArray()));
        return text.append(')').toString();
    }

    /** The storage from this tensor's offset, as a kernel operand (F32 or F64; the backend picks the kernel). */
    ArrayRef ref() {
        return storage.kernelArray(offset);
    }

    /** "F32 [2, 3]": for error messages. */
    String describe() {
        return dtype + " " + Shape.format(shape);
    }

    private static int[] remove(int[] values, int at) {
        int[] result = new int[values.length - 1];
        System.arraycopy(values, 0, result, 0, at);
        System.arraycopy(values, at + 1, result, at, values.length - at - 1);
        return result;
    }

    private static int[] insert(int[] values, int at, int value) {
        int[] result = new int[values.length + 1];
        System.arraycopy(values, 0, result, 0, at);
        result[at] = value;
        System.arraycopy(values, at, result, at + 1, values.length - at);
        return result;
    }
}
