package dev.ranker4j.autograd;

import dev.ranker4j.autograd.ops.*;
import dev.ranker4j.autograd.ops.ElementwiseFns.AddFn;
import dev.ranker4j.autograd.ops.ElementwiseFns.DivFn;
import dev.ranker4j.autograd.ops.ElementwiseFns.MaximumFn;
import dev.ranker4j.autograd.ops.ElementwiseFns.MinimumFn;
import dev.ranker4j.autograd.ops.ElementwiseFns.MulFn;
import dev.ranker4j.autograd.ops.ElementwiseFns.SubFn;
import dev.ranker4j.autograd.ops.ElementwiseFns.UnaryFn;
import dev.ranker4j.kernels.UnaryOp;
import dev.ranker4j.tensor.DType;
import dev.ranker4j.tensor.Tensor;

import java.util.Arrays;

/**
 * A tensor value in a differentiable computation: the value, its accumulated gradient, and the op that made it.
 *
 * <p>A <em>leaf</em> has no creator: inputs, constants and {@link Parameter}s. Only leaves that require a gradient
 * receive one in {@link #grad()}; intermediate values pass their gradient on and keep nothing (unless
 * {@link #retainGrad()} asks). Ops are called fluently, {@code x.matmul(w.transpose(0, 1)).add(b).gelu()}; the ones
 * with several inputs or options live in {@link Ops}.
 */
public class Variable {
    private Tensor value;
    private Tensor grad;
    private final boolean requiresGrad;
    private final DifferentiableFunction creator;
    private boolean retainsGrad;

    /** A leaf; it receives a gradient in backward when {@code requiresGrad}. */
    public Variable(Tensor value, boolean requiresGrad) {
        this(value, requiresGrad, null);
    }

    private Variable(Tensor value, boolean requiresGrad, DifferentiableFunction creator) {
        if (value == null) throw new IllegalArgumentException("a Variable needs a value");
        this.value = value;
        this.requiresGrad = requiresGrad;
        this.creator = creator;
    }

    /** A leaf that needs no gradient (an input, a mask, a target). */
    public static Variable constant(Tensor value) {
        return new Variable(value, false, null);
    }

    /** The output of a recorded op. */
    static Variable fromOp(Tensor value, DifferentiableFunction creator) {
        return new Variable(value, true, creator);
    }

    // ---------------------------------------------------------------------------------------------------- state

    public Tensor value() {
        return value;
    }

    /** Replaces the value of a leaf (loading weights, an optimizer step); shape and dtype must stay. */
    protected void replaceValue(Tensor newValue) {
        if (!isLeaf()) throw new IllegalStateException("only a leaf's value can be replaced, not the output of " + creator.name());
        if (!Arrays.equals(newValue.shape(), value.shape()) || newValue.dtype() != value.dtype()) {
            throw new IllegalArgumentException("replacement value " + newValue.dtype() + Arrays.toString(newValue.shape())
                    + " differs from " + value.dtype() + Arrays.toString(value.shape()));
        }
        value = newValue;
    }

    /** Converts a leaf to another dtype in place (a module moving to F64 for a gradient check); drops the gradient. */
    protected void convertValue(DType dtype) {
        if (!isLeaf()) throw new IllegalStateException("only a leaf can change dtype");
        value = value.to(dtype);
        grad = null;
    }

    /** dL/d(this) accumulated over backward calls, or null when no gradient reached it (or after {@link #zeroGrad}). */
    public Tensor grad() {
        return grad;
    }

    /** Forgets the accumulated gradient (PyTorch's {@code zero_grad(set_to_none=True)}). */
    public void zeroGrad() {
        grad = null;
    }

    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** True for inputs, constants and parameters: values no recorded op produced. */
    public boolean isLeaf() {
        return creator == null;
    }

    /** The op that produced this value, or null for a leaf. */
    public DifferentiableFunction creator() {
        return creator;
    }

    /** Keeps this intermediate value's gradient in {@link #grad()} during backward (for inspection and tests). */
    public Variable retainGrad() {
        retainsGrad = true;
        return this;
    }

    boolean retainsGrad() {
        return retainsGrad;
    }

    /** The same value, cut from the graph: gradients do not flow through the result. Shares the storage. */
    public Variable detach() {
        return constant(value);
    }

    public int[] shape() {
        return value.shape();
    }

    public int rank() {
        return value.shape().length;
    }

    public DType dtype() {
        return value.dtype();
    }

    /** The value of a one-element variable (a loss). */
    public double item() {
        return value.item();
    }

    void accumulateGrad(Tensor g) {
        // A copy at first: the incoming tensor may be shared with other nodes or be a view. From then on the
        // accumulated gradient is owned by this variable (optimizers may update it in place), so later
        // contributions are added in place rather than into a new tensor per backward.
        if (grad == null) grad = g.copy();
        else grad.addInPlace(g, 1);
    }

    // ----------------------------------------------------------------------------------------------------- ops
    // Each method is one line: the op's class holds its forward and backward (package dev.ranker4j.autograd.ops).

    public Variable add(Variable other) { return new AddFn().apply(this, other); }

    public Variable sub(Variable other) { return new SubFn().apply(this, other); }

    public Variable mul(Variable other) { return new MulFn().apply(this, other); }

    public Variable div(Variable other) { return new DivFn().apply(this, other); }

    /** Elementwise maximum of two variables (broadcasting). */
    public Variable maximum(Variable other) { return new MaximumFn().apply(this, other); }

    /** Elementwise minimum of two variables (broadcasting). */
    public Variable minimum(Variable other) { return new MinimumFn().apply(this, other); }

    /**
     * y = op(x, param) for any elementwise op of {@link UnaryOp} that has a derivative: the gradient comes from the
     * derivative table there. The methods below are this with a name.
     */
    public Variable apply(UnaryOp op, double param) { return new UnaryFn(op, param).apply(this); }

    public Variable add(double c) { return apply(UnaryOp.ADD_SCALAR, c); }

    public Variable mul(double c) { return apply(UnaryOp.MUL_SCALAR, c); }

    public Variable pow(double exponent) { return apply(UnaryOp.POW, exponent); }

    public Variable neg() { return apply(UnaryOp.NEG, 0); }

    public Variable exp() { return apply(UnaryOp.EXP, 0); }

    public Variable log() { return apply(UnaryOp.LOG, 0); }

    public Variable sqrt() { return apply(UnaryOp.SQRT, 0); }

    public Variable tanh() { return apply(UnaryOp.TANH, 0); }

    public Variable sigmoid() { return apply(UnaryOp.SIGMOID, 0); }

    public Variable relu() { return apply(UnaryOp.RELU, 0); }

    public Variable sin() { return apply(UnaryOp.SIN, 0); }

    /** Exact GELU, x·Φ(x) (BERT's "gelu"). */
    public Variable gelu() { return apply(UnaryOp.GELU_ERF, 0); }

    /** Tanh-approximated GELU (BERT's "gelu_new"). */
    public Variable geluTanh() { return apply(UnaryOp.GELU_TANH, 0); }

    /** Sum over {@code axes} (all when none given), dropping them. */
    public Variable sum(int... axes) { return new SumFn(axes, false).apply(this); }

    public Variable sum(int[] axes, boolean keepDim) { return new SumFn(axes, keepDim).apply(this); }

    /** Mean over {@code axes} (all when none given), dropping them. */
    public Variable mean(int... axes) { return new MeanFn(axes, false).apply(this); }

    public Variable mean(int[] axes, boolean keepDim) { return new MeanFn(axes, keepDim).apply(this); }

    public Variable max(int[] axes, boolean keepDim) { return new MaxFn(axes, keepDim).apply(this); }

    public Variable logSumExp(int[] axes, boolean keepDim) { return new LogSumExpFn(axes, keepDim).apply(this); }

    /** Variance over {@code axes}, as {@link Tensor#var}: correction 0 = biased (population), 1 = unbiased. */
    public Variable var(int[] axes, int correction, boolean keepDim) { return new VarFn(axes, correction, keepDim).apply(this); }

    /** Matrix product over the last two axes, batched (and broadcast) over the others. */
    public Variable matmul(Variable other) { return new MatmulFn(false, false).apply(this, other); }

    /** op(this) · op(other), where op transposes the last two axes when asked, without copying. */
    public Variable matmul(Variable other, boolean transposeThis, boolean transposeOther) {
        return new MatmulFn(transposeThis, transposeOther).apply(this, other);
    }

    public Variable reshape(int... shape) { return new ReshapeFn(shape).apply(this); }

    public Variable permute(int... perm) { return new PermuteFn(perm).apply(this); }

    /** Swaps two axes (negative axes count from the end). */
    public Variable transpose(int axis0, int axis1) {
        int[] perm = new int[rank()];
        for (int i = 0; i < perm.length; i++) perm[i] = i;
        int a = axis0 < 0 ? axis0 + rank() : axis0, b = axis1 < 0 ? axis1 + rank() : axis1;
        perm[a] = b;
        perm[b] = a;
        return permute(perm);
    }

    /** Elements {@code [start, start + length)} along {@code axis} (a view). */
    public Variable narrow(int axis, int start, int length) { return new NarrowFn(axis, start, length).apply(this); }

    /** Broadcasts size-1 (and new leading) axes to {@code shape} without copying. */
    public Variable expand(int... shape) { return new ExpandFn(shape).apply(this); }

    /** Inserts a size-1 axis at {@code axis}. */
    public Variable unsqueeze(int axis) {
        int[] shape = shape();
        int a = axis < 0 ? axis + shape.length + 1 : axis;
        int[] out = new int[shape.length + 1];
        for (int i = 0, j = 0; i < out.length; i++) out[i] = i == a ? 1 : shape[j++];
        return reshape(out);
    }

    /** Removes the size-1 axis {@code axis}. */
    public Variable squeeze(int axis) {
        int[] shape = shape();
        int a = axis < 0 ? axis + shape.length : axis;
        if (shape[a] != 1) throw new IllegalArgumentException("squeeze: axis " + axis + " of " + Arrays.toString(shape) + " is not 1");
        int[] out = new int[shape.length - 1];
        for (int i = 0, j = 0; i < shape.length; i++) if (i != a) out[j++] = shape[i];
        return reshape(out);
    }

    /** Softmax over the last axis. */
    public Variable softmax() { return new SoftmaxFn(null, false).apply(this); }

    /** Log-softmax over the last axis. */
    public Variable logSoftmax() { return new SoftmaxFn(null, true).apply(this); }

    // ------------------------------------------------------------------------------------------------ backward

    /** Backward from a scalar (one-element) value, seeding dL/dL = 1, and freeing the graph. */
    public void backward() {
        if (value.numel() != 1) {
            throw new IllegalStateException("backward() without a seed gradient needs a one-element value, but this "
                    + "one has shape " + Arrays.toString(shape()) + "; call backward(seed) with dL/d(this) of that shape");
        }
        backward(Tensor.ones(dtype(), shape()), false);
    }

    /** Backward with an explicit seed dL/d(this) (same shape and dtype), freeing the graph. */
    public void backward(Tensor seed) {
        backward(seed, false);
    }

    /**
     * Backward with an explicit seed; with {@code retainGraph} the saved tensors stay so that backward can run
     * through the same graph again.
     */
    public void backward(Tensor seed, boolean retainGraph) {
        if (!requiresGrad) {
            throw new IllegalStateException("backward on a value that does not require a gradient: no input of the "
                    + "computation requires one, or it ran inside a NoGrad scope");
        }
        if (!Arrays.equals(seed.shape(), shape()) || seed.dtype() != dtype()) {
            throw new IllegalArgumentException("seed gradient " + seed.dtype() + Arrays.toString(seed.shape())
                    + " must match the value " + dtype() + Arrays.toString(shape()));
        }
        Backprop.run(this, seed, retainGraph);
    }

    @Override
    public String toString() {
        return "Variable(" + dtype() + Arrays.toString(shape()) + (isLeaf() ? requiresGrad ? ", leaf requiring grad" : ", constant"
                : ", from " + creator.name()) + ")";
    }
}
