package dev.ranker4j.kernels.cpu;

import jdk.incubator.vector.FloatVector;

/**
 * The sum of a vector's lanes in one fixed order: the deterministic replacement for
 * {@code reduceLanes(VectorOperators.ADD)}, which every kernel (and any other Vector API code in ranker4j) uses.
 *
 * <p>Why: the Vector API leaves the order of a floating-point lane reduction unspecified, and HotSpot uses that
 * freedom: the interpreter and C1 add the lanes in one order, C2's reduction instructions in another. A row sum
 * then differs in its last bits before and after the kernel is JIT-compiled, so two identical runs in one JVM
 * diverge. Here the lanes are summed pairwise, always the same way (for 8 lanes:
 * ((l0 + l4) + (l2 + l6)) + ((l1 + l5) + (l3 + l7))), in plain scalar code that every compiler must execute as
 * written. The folding is done on the vector itself: lanes [0, w) of {@code v.slice(w)} are lanes [w, 2w) of v, so
 * {@code v.add(v.slice(w))} adds exactly those pairs (its upper lanes are ignored), log₂(lanes) slices and adds,
 * then lane 0. Each lane addition is one IEEE add of the same two floats in every tier, so the bits are those of
 * the scalar loop it replaced ({@code LaneSumsTest}), without the loop's lane array: that array, allocated per row,
 * was not always removed by escape analysis inside the large fused kernels (70 MB per training step, JFR).
 *
 * <p>MAX and MIN reductions need no replacement: {@code Math.max} is associative and commutative (NaN wins,
 * +0.0 &gt; −0.0), so every order gives the same bits.
 */
public final class LaneSums {
    private LaneSums() {}

    /** Σ of the lanes of {@code v}, in the fixed pairwise order above. */
    public static float sum(FloatVector v) {
        for (int width = v.length() / 2; width > 0; width /= 2) v = v.add(v.slice(width));
        return v.lane(0);
    }
}
