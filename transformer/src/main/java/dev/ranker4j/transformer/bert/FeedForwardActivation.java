package dev.ranker4j.transformer.bert;

import dev.ranker4j.autograd.Variable;
import dev.ranker4j.hfio.config.Activation;
import dev.ranker4j.kernels.UnaryOp;

/** The feed-forward non-linearity a config names, as the elementwise op that computes it. */
enum FeedForwardActivation {
    /** x·Φ(x) with the exact normal CDF ({@code gelu}). */
    GELU_ERF,
    /** 0.5x(1 + tanh(√(2/π)(x + 0.044715x³))) ({@code gelu_new}, {@code gelu_pytorch_tanh}). */
    GELU_TANH,
    /** max(0, x). */
    RELU;

    static FeedForwardActivation of(Activation activation) {
        return switch (activation) {
            case GELU -> GELU_ERF;
            case GELU_NEW, GELU_PYTORCH_TANH -> GELU_TANH;
            case RELU -> RELU;
        };
    }

    /** The elementwise op, for {@link dev.ranker4j.autograd.nn.Linear#forward(Variable, UnaryOp)}. */
    UnaryOp op() {
        return switch (this) {
            case GELU_ERF -> UnaryOp.GELU_ERF;
            case GELU_TANH -> UnaryOp.GELU_TANH;
            case RELU -> UnaryOp.RELU;
        };
    }
}
