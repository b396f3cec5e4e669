package dev.ranker4j.tensor;

/** Gradients from {@link Gradients#layerNorm}: dx (the input's shape), dGamma and dBeta ([D]). */
public record LayerNormGradients(Tensor dx, Tensor dGamma, Tensor dBeta) {}
