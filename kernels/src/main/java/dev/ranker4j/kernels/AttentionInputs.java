package dev.ranker4j.kernels;

/**
 * The operands of attention in the layout of a transformer's hidden states: element j of head h of token s of
 * sequence b is {@code q.data[q.offset + (b·seqQ + s)·q.ld + h·d + j]} (likewise k and v with seqK), and the
 * additive {@code mask} (null for none) holds one row of seqK values per sequence, {@code mask[offset + b·seqK + t]}.
 * Column windows of a fused QKV projection are read in place (their ld is the projection's width).
 */
public record AttentionInputs(Matrix q, Matrix k, Matrix v, ArrayRef mask) {}
