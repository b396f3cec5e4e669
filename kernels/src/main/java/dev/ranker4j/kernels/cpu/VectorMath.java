package dev.ranker4j.kernels.cpu;

import dev.ranker4j.kernels.ScalarMath;
import jdk.incubator.vector.DoubleVector;
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
    static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;

    private static final float INV_SQRT_2 = (float) (1 / Math.sqrt(2));
    private static final float INV_SQRT_2PI = (float) (1 / Math.sqrt(2 * Math.PI));
    private static final float SQRT_2_OVER_PI = (float) Math.sqrt(2 / Math.PI);
    private static final float CUBIC = (float) ScalarMath.GELU_TANH_CUBIC;

    /**
     * erfc(z) = t·exp(−z² + P(t)), t = 1/(1 + z/2), z ≥ 0: P's coefficients (lowest degree first) come from a
     * degree-9 least-squares fit on Chebyshev nodes for z ∈ [0, 10] (scripts/fit_erfc_f32.py). Evaluated in float
     * the result is within 3e-7 relative of erfc for |x| ≤ 2 and 2e-6 for |x| ≤ 10 (erfc(|x|/√2), x the GELU input).
     */
    private static final float[] ERFC_P = {
        -1.265447974205017f, 0.9986327886581421f, 0.38664039969444275f, 0.03460279852151871f,
        0.0012675855541601777f, -0.08028043061494827f, -0.6962519288063049f, 1.156733751296997f,
        -0.6808272004127502f, 0.14493021368980408f
    };

    // ------------------------------------------------------------------------------------------------- float

    /** 1/x, correctly rounded (a true division, not an approximate reciprocal instruction). */
    static FloatVector reciprocal(FloatVector x) {
        return FloatVector.broadcast(F, 1f).div(x);
    }

    /** σ(x) = 1/(1 + e^(−x)); e^(−x) overflowing to +∞ for x ≪ 0 correctly gives 0. */
    static FloatVector sigmoid(FloatVector x) {
        return reciprocal(VectorExpLog.exp(x.neg()).add(1f));
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
     * Φ(x) = ½·erfc(−x/√2): ½·erfc(|x|/√2) for x &lt; 0, 1 − that for x ≥ 0, with erfc(z) = t·exp(−z² + P(t))
     * evaluated as one exp of −x²/2 + P(t) (one exp rather than two: fewer roundings, and C2 keeps a GELU loop
     * with one inlined exp in registers). Working from erfc keeps the relative accuracy in the left tail, where
     * x·Φ(x) is tiny.
     */
    private static FloatVector normalCdf(FloatVector x) {
        FloatVector t = reciprocal(x.abs().mul(0.5f * INV_SQRT_2).add(1f));
        // P(t) by Horner, written out: a loop carrying a vector kept C2 from holding it in registers
        FloatVector p = t.fma(coefficient(9), coefficient(8));
        p = p.fma(t, coefficient(7));
        p = p.fma(t, coefficient(6));
        p = p.fma(t, coefficient(5));
        p = p.fma(t, coefficient(4));
        p = p.fma(t, coefficient(3));
        p = p.fma(t, coefficient(2));
        p = p.fma(t, coefficient(1));
        p = p.fma(t, coefficient(0));
        FloatVector halfErfc = t.mul(VectorExpLog.exp(x.mul(x).fma(all(-0.5f), p))).mul(0.5f);
        return halfErfc.neg().add(1f).blend(halfErfc, x.compare(VectorOperators.LT, 0f));
    }

    private static FloatVector coefficient(int i) {
        return all(ERFC_P[i]);
    }

    private static FloatVector all(float value) {
        return FloatVector.broadcast(F, value);
    }

    private static FloatVector gauss(FloatVector x) {
        return VectorExpLog.exp(x.mul(x).mul(-0.5f));
    }

    /** GELU_ERF: x·Φ(x). */
    static FloatVector geluErf(FloatVector x) {
        return x.mul(normalCdf(x));
    }

    /** GELU_ERF_DERIVATIVE: Φ(x) + x·φ(x), φ(x) = exp(−x²/2)/√(2π). */
    static FloatVector geluErfDerivative(FloatVector x) {
        return normalCdf(x).add(x.mul(gauss(x)).mul(INV_SQRT_2PI));
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

    static DoubleVector reciprocal(DoubleVector x) {
        return DoubleVector.broadcast(D, 1.0).div(x);
    }

    static DoubleVector sigmoid(DoubleVector x) {
        return reciprocal(VectorExpLog.exp(x.neg()).add(1));
    }

    static DoubleVector relu(DoubleVector x) {
        return DoubleVector.zero(D).blend(x, x.compare(VectorOperators.GT, 0));
    }

    static DoubleVector step(DoubleVector x) {
        return DoubleVector.zero(D).blend(1, x.compare(VectorOperators.GT, 0));
    }

    static DoubleVector geluTanh(DoubleVector x) {
        DoubleVector twoU = x.mul(x).mul(ScalarMath.GELU_TANH_CUBIC).add(1).mul(x).mul(2 * Math.sqrt(2 / Math.PI));
        return x.mul(sigmoid(twoU));
    }

    /** As the float version, but with 1 − s = σ(−2u) (as ScalarMath) so F64 keeps full relative accuracy. */
    static DoubleVector geluTanhDerivative(DoubleVector x) {
        DoubleVector x2 = x.mul(x);
        DoubleVector twoU = x2.mul(ScalarMath.GELU_TANH_CUBIC).add(1).mul(x).mul(2 * Math.sqrt(2 / Math.PI));
        DoubleVector du = x2.mul(3 * ScalarMath.GELU_TANH_CUBIC).add(1).mul(Math.sqrt(2 / Math.PI));
        DoubleVector s = sigmoid(twoU);
        return s.add(x.mul(2).mul(s).mul(sigmoid(twoU.neg())).mul(du));
    }
}
