package dev.ranker4j.training.optim;

import java.util.function.Predicate;

/**
 * Which parameters receive weight decay. The BERT fine-tuning convention (Devlin et al.'s optimiser, Hugging Face's
 * Trainer) exempts biases and layer-norm weights: decaying a layer norm's gain towards 0 or a bias towards 0 is
 * not a useful prior.
 */
public final class WeightDecayPolicy {
    private WeightDecayPolicy() {}

    /** No decay for names ending in {@code bias} or containing {@code LayerNorm}/{@code layer_norm}/{@code norm.}. */
    public static final Predicate<String> BIAS_AND_LAYER_NORM_EXEMPT = name -> name.endsWith("bias")
            || name.contains("LayerNorm") || name.contains("layer_norm") || name.contains("norm.");

    /** Every parameter decays. */
    public static final Predicate<String> NONE_EXEMPT = name -> false;
}
