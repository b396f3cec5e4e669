package dev.ranker4j.hfio.config;

import java.util.Arrays;
import java.util.Optional;

/**
 * The feed-forward activations of BERT-family configs ({@code hidden_act}, DistilBERT {@code activation}).
 *
 * <ul>
 *   <li>{@link #GELU}: {@code x * Phi(x)} with the exact normal CDF, {@code 0.5 x (1 + erf(x / sqrt 2))}.
 *   <li>{@link #GELU_NEW} and {@link #GELU_PYTORCH_TANH}: the tanh approximation
 *       {@code 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))} (Hendrycks and Gimpel 2016); the two names differ
 *       only in which code computes it.
 *   <li>{@link #RELU}: {@code max(0, x)}.
 * </ul>
 */
public enum Activation {
    GELU("gelu"), GELU_NEW("gelu_new"), GELU_PYTORCH_TANH("gelu_pytorch_tanh"), RELU("relu");

    private final String hfName;

    Activation(String hfName) {
        this.hfName = hfName;
    }

    /** The name in {@code config.json}. */
    public String hfName() {
        return hfName;
    }

    /** True for the two names of the tanh approximation of GELU. */
    public boolean isTanhApproximation() {
        return this == GELU_NEW || this == GELU_PYTORCH_TANH;
    }

    public static Optional<Activation> fromHfName(String name) {
        return Arrays.stream(values()).filter(a -> a.hfName.equals(name)).findFirst();
    }

    /** The accepted names, for error messages. */
    static String knownNames() {
        return Arrays.toString(Arrays.stream(values()).map(Activation::hfName).toArray());
    }
}
