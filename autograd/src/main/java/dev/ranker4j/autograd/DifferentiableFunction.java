package dev.ranker4j.autograd;

import dev.ranker4j.tensor.Tensor;

/**
 * One differentiable op: its forward and its backward side by side in one small subclass (minitorch's and PyTorch's
 * {@code Function}, micrograd's {@code _backward} closure). Subclasses are named after the op with the suffix
 * {@code Fn} ({@code MatmulFn}, {@code LayerNormFn}), so that they never collide with the modules of {@code nn}
 * ({@code nn.LayerNorm}) or the tensor layer's classes ({@code TensorLayerNorm}).
 *
 * <p>A fresh instance is made for every application ({@code new MulFn().apply(a, b)}); it is the graph node. The
 * subclass keeps small settings (axes, a scalar, a shape) in its own fields and hands every tensor its backward needs
 * to {@link #save}, so that the engine can release those buffers after backward without knowing the op.
 *
 * <p>The contract of {@link #backward}: given dL/d(output) (same shape as the output), return dL/d(input i) for each
 * input, in input order, or {@code null} for an input that needs none (see {@link #needsGrad}). A returned gradient may
 * have the broadcast shape rather than the input's own: the engine sums it back to the input's shape
 * ({@link Backprop#sumToShape}), so broadcasting ops never repeat that step. A backward must not modify
 * {@code gradOutput} in place (other ops may hold it), and may return the same tensor for several inputs.
 */
public abstract class DifferentiableFunction {
    private Variable[] inputs;
    private Tensor[] saved = new Tensor[0];
    private boolean released;

    /** Computes the output from the input values; saves what {@link #backward} needs with {@link #save}. */
    protected abstract Tensor forward(Tensor... inputs);

    /** Gradients with respect to each input given the gradient with respect to the output. */
    protected abstract Tensor[] backward(Tensor gradOutput);

    /** The op's name in error messages and reports: the class name without its {@code Fn} suffix, e.g. "Matmul". */
    public String name() {
        String simple = getClass().getSimpleName();
        return simple.endsWith("Fn") ? simple.substring(0, simple.length() - 2) : simple;
    }

    /**
     * Runs the op on variables. When gradients are enabled ({@link NoGrad} not active) and some input requires a
     * gradient, the output remembers this node; otherwise nothing is recorded and the output is a constant.
     */
    public final Variable apply(Variable... inputs) {
        Tensor[] values = new Tensor[inputs.length];
        for (int i = 0; i < inputs.length; i++) values[i] = inputs[i].value();
        boolean record = records(inputs);
        if (record) this.inputs = inputs.clone(); // set before forward so needsGrad() works inside it
        Tensor output = forward(values);
        if (!record) {
            saved = null;
            return Variable.constant(output);
        }
        return Variable.fromOp(output, this);
    }

    /**
     * Whether an op applied to these inputs records a graph node: gradients are enabled ({@link NoGrad} not active)
     * and some input requires a gradient. A fused shortcut that has no backward (e.g. {@code Linear}'s activation
     * epilogue) may only be taken when this is false.
     */
    public static boolean records(Variable... inputs) {
        if (!NoGrad.gradEnabled()) return false;
        for (Variable input : inputs) {
            if (input.requiresGrad()) return true;
        }
        return false;
    }

    /** Keeps tensors for backward; they are dropped when the graph is released. */
    protected final void save(Tensor... tensors) {
        saved = tensors;
    }

    /** The i-th tensor given to {@link #save}. */
    protected final Tensor saved(int i) {
        return saved[i];
    }

    /** Whether input i needs a gradient: backward may skip work (and return null) for the others. */
    protected final boolean needsGrad(int i) {
        return inputs != null && inputs[i].requiresGrad();
    }

    /** The inputs this node was applied to; fails clearly when the graph was already freed by a backward. */
    final Variable[] inputs() {
        if (released) throw freedGraph();
        return inputs;
    }

    /** Runs {@link #backward} and checks that it kept its side of the contract. */
    final Tensor[] backwardChecked(Tensor gradOutput) {
        if (released) throw freedGraph();
        Tensor[] grads = backward(gradOutput);
        if (grads.length != inputs.length) {
            throw new IllegalStateException(name() + ".backward returned " + grads.length + " gradients for "
                    + inputs.length + " inputs");
        }
        return grads;
    }

    /** Drops the saved tensors and the links to the inputs: after this, the intermediate values can be collected. */
    final void release() {
        released = true;
        saved = null;
        inputs = null;
    }

    private IllegalStateException freedGraph() {
        return new IllegalStateException("backward through " + name() + " a second time, but its saved tensors were "
                + "freed by the first backward; call backward(seed, true) (retainGraph) the first time");
    }

    @Override
    public String toString() {
        return name() + (released ? " (released)" : "");
    }
}
