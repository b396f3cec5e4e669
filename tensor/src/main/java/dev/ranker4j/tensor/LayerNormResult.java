package dev.ranker4j.tensor;

/**
 * What {@link Tensor#layerNorm} returns: the normalised output (the input's shape) and, per row of the last axis,
 * the mean and rstd = 1/√(var + eps) (the input's shape without its last axis) that the backward reuses.
 */
public record LayerNormResult(Tensor output, Tensor mean, Tensor rstd) {}
