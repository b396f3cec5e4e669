package dev.ranker4j.autograd.nn;

import dev.ranker4j.autograd.DifferentiableFunction;
import dev.ranker4j.autograd.NoGrad;
import dev.ranker4j.autograd.Ops;
import dev.ranker4j.autograd.Variable;
import dev.ranker4j.kernels.UnaryOp;
import dev.ranker4j.tensor.DType;
import dev.ranker4j.tensor.SeededRandom;

/**
 * y = x · Wᵀ + b. Shapes: x [..., in], weight [out, in] (the PyTorch/Hugging Face layout, so checkpoints load
 * as they are), bias [out], y [..., out]. One fused op ({@link Ops#linear}): the transpose is not copied (the GEMM
 * reads W as a transposed operand) and the bias is added in the GEMM's write-back.
 */
public final class Linear extends Module {
    private final Parameter weight;
    private final Parameter bias;

    /** Weight N(0, std²), bias zero (BERT's initialisation); {@code bias = false} for a layer without one. */
    public Linear(int in, int out, boolean bias, double std, SeededRandom random, DType dtype) {
        this(in, out, bias, std, Init.random(random), dtype);
    }

    /** As above, with the parameters made by {@code init} (deferred when a checkpoint will provide them). */
    public Linear(int in, int out, boolean bias, double std, Init init, DType dtype) {
        this.weight = registerParameter("weight", init.normal(dtype, std, out, in));
        this.bias = bias ? registerParameter("bias", init.zeros(dtype, out)) : null;
    }

    public Variable forward(Variable x) {
        return Ops.linear(x, weight, bias);
    }

    /**
     * activation(x · Wᵀ + b). When no graph records it (under {@link NoGrad}, or when neither x nor the parameters
     * require a gradient: inference, a frozen teacher) one kernel applies the activation to each block of y as the
     * GEMM finishes it ({@link dev.ranker4j.tensor.Tensor#linear(dev.ranker4j.tensor.Tensor,
     * dev.ranker4j.tensor.Tensor, UnaryOp)}); otherwise the linear op, then the activation op, whose derivative
     * needs the values before it. Both give the same bits.
     */
    public Variable forward(Variable x, UnaryOp activation) {
        boolean recorded = bias == null ? DifferentiableFunction.records(x, weight)
                : DifferentiableFunction.records(x, weight, bias);
        if (recorded) return forward(x).apply(activation, 0);
        return new Variable(x.value().linear(weight.value(), bias == null ? null : bias.value(), activation), false);
    }

    public Parameter weight() {
        return weight;
    }

    /** The bias, or null for a layer built without one. */
    public Parameter bias() {
        return bias;
    }
}
