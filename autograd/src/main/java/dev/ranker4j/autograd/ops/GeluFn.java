package dev.ranker4j.autograd.ops;

import dev.ranker4j.autograd.DifferentiableFunction;
import dev.ranker4j.kernels.UnaryOp;
import dev.ranker4j.tensor.Gradients;
import dev.ranker4j.tensor.Tensor;

/**
 * GELU (Hendrycks &amp; Gimpel 2016), in its exact form x·Φ(x) (BERT's "gelu") or the tanh approximation
 * 0.5x(1 + tanh(√(2/π)(x + 0.044715x³))) ("gelu_new"). dy/dx is the matching {@code GELU_*_DERIVATIVE} kernel
 * evaluated at x (for the exact form Φ(x) + x·φ(x)); backward multiplies it into the incoming gradient in the same
 * pass ({@link Gradients#unary}), so the [tokens, 1536] derivative is never stored.
 */
public final class GeluFn extends DifferentiableFunction {
    private final boolean tanhApproximation;

    public GeluFn(boolean tanhApproximation) {
        this.tanhApproximation = tanhApproximation;
    }

    @Override
    public String name() {
        return tanhApproximation ? "GeluTanh" : "Gelu";
    }

    @Override
    protected Tensor forward(Tensor... in) {
        save(in[0]);
        return in[0].apply(op(), 0);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {Gradients.unary(op(), 0, saved(0), g)};
    }

    private UnaryOp op() {
        return tanhApproximation ? UnaryOp.GELU_TANH : UnaryOp.GELU_ERF;
    }
}
