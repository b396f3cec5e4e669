package dev.ranker4j.kernels;

/** Reductions over the last axis of a [rows, n] block. MEAN and LOG_SUM_EXP are here because their fast versions differ from SUM composed with other kernels (one pass, a stable maximum shift). */
public enum ReduceOp {
    SUM, MEAN, MAX, MIN, LOG_SUM_EXP
}
