package dev.ranker4j.autograd.nn;

import dev.ranker4j.autograd.Ops;
import dev.ranker4j.autograd.Variable;
import dev.ranker4j.tensor.DType;
import dev.ranker4j.tensor.Tensor;

/** Layer norm over the last axis with learned scale {@code weight} (ones) and shift {@code bias} (zeros), both [n]. */
public final class LayerNorm extends Module {
    private final Parameter weight;
    private final Parameter bias;
    private final double eps;

    /** BERT uses eps = 1e-12. */
    public LayerNorm(int n, double eps, DType dtype) {
        this.weight = registerParameter("weight", new Parameter(Tensor.ones(dtype, n)));
        this.bias = registerParameter("bias", new Parameter(Tensor.zeros(dtype, n)));
        this.eps = eps;
    }

    public Variable forward(Variable x) {
        return Ops.layerNorm(x, weight, bias, eps);
    }

    public Parameter weight() {
        return weight;
    }

    public Parameter bias() {
        return bias;
    }
}
