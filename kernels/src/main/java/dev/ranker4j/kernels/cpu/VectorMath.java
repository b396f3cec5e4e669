package dev.ranker4j.kernels.cpu;

import dev.ranker4j.kernels.ScalarMath;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The elementwise functions that are more than one Vector API call, lane by lane, each the vector twin of its
 * {@link ScalarMath} definition. Every method is straight-line code (no branches that merge vectors), so the JIT
 * keeps the vectors in registers when it inlines them into a kernel loop. exp comes from {@link VectorExpLog}, never
 * {@code lanewise(EXP)}, so that the results do not depend on which JIT tier runs them.
 */
final class VectorMath {
    private VectorMath() {}

    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    private static final float INV_SQRT_2 = (float) (1 / Math.sqrt(2));
    private static final float INV_SQRT_2PI = (float) (1 / Math.sqrt(2 * Math.PI));
    private static final float SQRT_2_OVER_PI = (float) Math.sqrt(2 / Math.PI);
    private static final float CUBIC = (float) ScalarMath.GELU_TANH_CUBIC;

    /**
     * Φ(−|x|) = ½·erfc(z) = t·exp(−z²)·Q(t), z = |x|/√2, t = 1/(1 + z/2): Q's coefficients (lowest degree first,
     * the ½ folded in) come from a degree-8 least-squares fit on Chebyshev nodes for z ∈ [0, 10]
     * (scripts/fit_erfc_f32.py). Evaluated in float the result is within 3e-7 relative for |x| ≤ 2 and 2e-6 for
     * |x| ≤ 10 (the rounding of x² in exp(−x²/2) dominates further out).
     */
    private static final float Q0 = 0.14104117453098297f, Q1 = 0.14122691750526428f, Q2 = 0.12123969197273254f,
            Q3 = 0.10268021374940872f, Q4 = -0.01669950969517231f, Q5 = 0.1442575752735138f,
            Q6 = -0.2484147846698761f, Q7 = 0.1447230577468872f, Q8 = -0.030054353177547455f;
    private static final FloatVector VQ0 = all(Q0), VQ1 = all(Q1), VQ2 = all(Q2), VQ3 = all(Q3), VQ4 = all(Q4),
            VQ5 = all(Q5), VQ6 = all(Q6), VQ7 = all(Q7), VQ8 = all(Q8);

    // ------------------------------------------------------------------------------------------------- float

    /** 1/x, correctly rounded (a true division, not an approximate reciprocal instruction). */
    static FloatVector reciprocal(FloatVector x) {
        return FloatVector.broadcast(F, 1f).div(x);
    }

    /** σ(x) = 1/(1 + e^(−x)); e^(−x) overflowing to +∞ for x ≪ 0 correctly gives 0. */
    static FloatVector sigmoid(FloatVector x) {
        return reciprocal(VectorExpLog.exp(x.neg()).add(1f));
    }

    /** σ′(x) = σ(x)·σ(−x) = e/(1 + e)² with e = exp(−|x|) ≤ 1: one exp, no overflow, no cancellation. */
    static FloatVector sigmoidDerivative(FloatVector x) {
        FloatVector e = VectorExpLog.exp(x.abs().neg());
        FloatVector onePlusE = e.add(1f);
        return e.div(onePlusE.mul(onePlusE));
    }

    /** tanh′(x) = 1 − tanh²x = 4e/(1 + e)² with e = exp(−2|x|): accurate where 1 − tanh²x would cancel. */
    static FloatVector tanhDerivative(FloatVector x) {
        FloatVector e = VectorExpLog.exp(x.abs().mul(-2f));
        FloatVector onePlusE = e.add(1f);
        return e.mul(4f).div(onePlusE.mul(onePlusE));
    }

    /** x where x &gt; 0, else 0 (NaN → 0, as ScalarMath's {@code x > 0 ? x : 0}). */
    static FloatVector relu(FloatVector x) {
        return FloatVector.zero(F).blend(x, x.compare(VectorOperators.GT, 0f));
    }

    /** 1 where x &gt; 0, else 0. */
    static FloatVector step(FloatVector x) {
        return FloatVector.zero(F).blend(1f, x.compare(VectorOperators.GT, 0f));
    }

    /**
     * Φ(x) from {@code gauss} = exp(−x²/2): the left tail Φ(−|x|) = t·gauss·Q(t) (see {@link #Q0}) for x &lt; 0,
     * 1 − that for x ≥ 0. The caller computes gauss so that GELU's derivative, which needs exp(−x²/2) for φ too,
     * pays for one exp. Working from the tail keeps the relative accuracy for x ≪ 0, where x·Φ(x) is tiny.
     *
     * <p>Kept small on purpose: C2 inlines a kernel loop's whole call tree only while the tree stays under its node
     * budget (NodeCountInliningCutoff); past it, the leftover calls pass boxed vectors and the derivative loop ran
     * at 2–6 ns per element instead of 0.3. Two exps per element (one here, one for φ) crossed it, and so did Q's
     * coefficients broadcast in place: they are prebuilt vectors (VQ0…VQ8), which cost C2 almost no nodes.
     */
    private static FloatVector normalCdf(FloatVector x, FloatVector gauss) {
        FloatVector t = reciprocal(x.abs().fma(all(0.5f * INV_SQRT_2), all(1f)));
        // Q(t) by Horner, written out: a loop carrying a vector kept C2 from holding it in registers
        FloatVector q = t.fma(VQ8, VQ7).fma(t, VQ6).fma(t, VQ5).fma(t, VQ4).fma(t, VQ3).fma(t, VQ2).fma(t, VQ1)
                .fma(t, VQ0);
        FloatVector tail = t.mul(q).mul(gauss);
        return tail.neg().add(1f).blend(tail, x.compare(VectorOperators.LT, 0f));
    }

    private static FloatVector all(float value) {
        return FloatVector.broadcast(F, value);
    }

    /** exp(−x²/2), the unnormalised normal density. */
    private static FloatVector gauss(FloatVector x) {
        return VectorExpLog.exp(x.mul(x).mul(-0.5f));
    }

    /** GELU_ERF: x·Φ(x). */
    static FloatVector geluErf(FloatVector x) {
        return x.mul(normalCdf(x, gauss(x)));
    }

    /** GELU_ERF_DERIVATIVE: Φ(x) + x·φ(x), φ(x) = exp(−x²/2)/√(2π), one exp shared by both terms. */
    static FloatVector geluErfDerivative(FloatVector x) {
        FloatVector g = gauss(x);
        return x.mul(g).fma(all(INV_SQRT_2PI), normalCdf(x, g));
    }

    /** GELU_TANH as x·σ(2u), u = √(2/π)(x + 0.044715x³): equal to ½x(1 + tanh u) without its cancellation. */
    static FloatVector geluTanh(FloatVector x) {
        FloatVector twoU = x.mul(x).mul(CUBIC).add(1f).mul(x).mul(2f * SQRT_2_OVER_PI);
        return x.mul(sigmoid(twoU));
    }

    /** GELU_TANH_DERIVATIVE: s + 2x·s·(1 − s)·du/dx with s = σ(2u), du/dx = √(2/π)(1 + 3·0.044715x²). */
    static FloatVector geluTanhDerivative(FloatVector x) {
        FloatVector x2 = x.mul(x);
        FloatVector twoU = x2.mul(CUBIC).add(1f).mul(x).mul(2f * SQRT_2_OVER_PI);
        FloatVector s = sigmoid(twoU);
        FloatVector du = x2.mul(3f * CUBIC).add(1f).mul(SQRT_2_OVER_PI);
        return s.add(x.mul(2f).mul(s).mul(s.neg().add(1f)).mul(du));
    }

    // ------------------------------------------------------------------------------------------------ double

}
