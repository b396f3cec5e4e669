package dev.ranker4j.kernels;

/**
 * Where a layer norm backward puts its results: dx (written, from its offset) and the parameter gradients dGamma and
 * dBeta (ADDED into, from index 0, so that gradients accumulate; either may be null).
 */
public record LayerNormGrads(ArrayRef dx, ArrayRef dGamma, ArrayRef dBeta) {}
