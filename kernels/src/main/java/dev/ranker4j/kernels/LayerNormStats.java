package dev.ranker4j.kernels;

/** The per-row mean and rstd = 1/√(var + eps) a layer norm forward writes and its backward reads (from index 0). */
public record LayerNormStats(ArrayRef mean, ArrayRef rstd) {}
