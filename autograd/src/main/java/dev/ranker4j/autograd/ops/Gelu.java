package dev.ranker4j.autograd.ops;

import dev.ranker4j.autograd.Function;
import dev.ranker4j.kernels.UnaryOp;
import dev.ranker4j.tensor.Tensor;

/**
 * GELU (Hendrycks &amp; Gimpel 2016), in its exact form x·Φ(x) (BERT's "gelu") or the tanh approximation
 * 0.5x(1 + tanh(√(2/π)(x + 0.044715x³))) ("gelu_new"). dy/dx is the matching {@code GELU_*_DERIVATIVE} kernel
 * evaluated at x: for the exact form Φ(x) + x·φ(x).
 */
public final class Gelu extends Function {
    private final boolean tanhApproximation;

    public Gelu(boolean tanhApproximation) {
        this.tanhApproximation = tanhApproximation;
    }

    @Override
    public String name() {
        return tanhApproximation ? "GeluTanh" : "Gelu";
    }

    @Override
    protected Tensor forward(Tensor... in) {
        save(in[0]);
        return in[0].apply(tanhApproximation ? UnaryOp.GELU_TANH : UnaryOp.GELU_ERF, 0);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        UnaryOp derivative = tanhApproximation ? UnaryOp.GELU_TANH_DERIVATIVE : UnaryOp.GELU_ERF_DERIVATIVE;
        return new Tensor[] {g.mul(saved(0).apply(derivative, 0))};
    }
}
