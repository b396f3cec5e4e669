package dev.ranker4j.autograd.nn;

import dev.ranker4j.autograd.Ops;
import dev.ranker4j.autograd.Variable;
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

    public Parameter weight() {
        return weight;
    }

    /** The bias, or null for a layer built without one. */
    public Parameter bias() {
        return bias;
    }
}
