package dev.ranker4j.tensor;

/** The maximum along an axis and where it occurs: values (the input's dtype) and indices (I64), same shape. */
public record MaxResult(Tensor values, Tensor indices) {}
