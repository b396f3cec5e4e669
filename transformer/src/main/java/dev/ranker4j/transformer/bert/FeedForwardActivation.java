package dev.ranker4j.transformer.bert;

import dev.ranker4j.autograd.Variable;
import dev.ranker4j.transformer.io.config.Activation;

/** The feed-forward non-linearity a config names, as the autograd op that computes it. */
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

    Variable apply(Variable x) {
        return switch (this) {
            case GELU_ERF -> x.gelu();
            case GELU_TANH -> x.geluTanh();
            case RELU -> x.relu();
        };
    }
}
