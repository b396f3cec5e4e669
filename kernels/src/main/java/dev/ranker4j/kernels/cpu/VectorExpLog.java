package dev.ranker4j.kernels.cpu;

import static dev.ranker4j.kernels.cpu.VectorMath.F;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * exp, log and tanh for float vectors, built only from lanewise operations whose result the Vector API
 * defines exactly (add, sub, mul, div, fma, min/max, compares and blends, integer shifts, conversions of integral
 * values, bit reinterpretation). They give the same bits whether the interpreter, C1 or C2 runs them.
 *
 * <p>Why not {@code lanewise(VectorOperators.EXP)}: the Vector API promises only "within 1 ulp of Math.exp" for
 * its transcendental operators. On x86-64 C2 compiles them into calls to Intel's SVML ({@code libjsvml}); the
 * interpreter and C1 compute {@code Math.exp} lane by lane. Measured with JDK 25 on AVX-512: 1.1% of float exps
 * (179 of 16 384 normal samples), 4.6% of double exps, 0.7% of float tanh, 0.04% of float logs differ by one ulp
 * between the two. Every run of a JVM starts interpreted, so two identical training runs in one JVM (or a run and
 * its resumption) would round differently. These implementations cost a few more vector instructions than SVML
 * (see docs/KERNELS.md for the measured cost).
 *
 * <p>The method, for each function, is the classic argument reduction plus a short series:
 * <ul>
 *   <li>exp(x) = 2^k · e^r with k = round(x / ln 2), r = x − k·ln 2 (Cody–Waite: ln 2 split in a high part with
 *       trailing zero bits, so k·LN2_HI is exact) and |r| ≤ ½ ln 2; e^r − 1 by its Taylor series up to r⁷ (float)
 *       where the next term is below half an ulp. 2^k is built from the exponent bits, applied as
 *       two halves so that subnormal results are rounded once and k = 128 (1024) still overflows to ∞.</li>
 *   <li>expm1(x) = 2^k·(e^r − 1) + (2^k − 1), accurate near 0 where exp(x) − 1 would cancel; only for tanh.</li>
 *   <li>tanh(x) = sign(x) · e / (e + 2), e = expm1(2|x|): no cancellation anywhere; |x| is capped where tanh
 *       rounds to 1.</li>
 *   <li>log(x) = e·ln 2 + log m with x = 2^e·m, m ∈ [√½, √2); log m = 2·atanh(s) = 2s + 2s³/3 + 2s⁵/5 + …,
 *       s = (m − 1)/(m + 1), |s| ≤ 0.172, up to s⁹.</li>
 * </ul>
 * Accuracy: within about 2 ulp of the correctly rounded result (the kernels' properties check them against
 * {@code Math} on random inputs, and the special values ±0, ±∞, NaN, subnormals exactly).
 */
final class VectorExpLog {
    private VectorExpLog() {}

    // ------------------------------------------------------------------------------------------------- float

    private static final float LOG2_E_F = 1.44269504088896341f;
    /** ln 2 = LN2_HI_F + LN2_LO_F; LN2_HI_F = 355/512 has 9 significant bits, so k·LN2_HI_F is exact for |k| < 2^15. */
    private static final float LN2_HI_F = 0.693359375f;
    private static final float LN2_LO_F = -2.12194440e-4f;
    /** 1.5·2^23: for |y| &lt; 2^22, (y + ROUND) − ROUND is y rounded to the nearest integer (ties to even). */
    private static final float ROUND_F = 0x1.8p23f;
    /** exp(x) is +∞ above 88.73 and 0 below −103.98; clamping keeps k and 2^k's exponent bits in range. */
    private static final float EXP_MIN_F = -104f, EXP_MAX_F = 89f;
    /** tanh(x) rounds to ±1 in float for |x| ≥ 9.01. */
    private static final float TANH_CAP_F = 10f;
    private static final float SQRT_2_F = 1.41421356f;
    /*
     * The float constants as vectors, built once. A broadcast written inside the kernel costs C2 a few dozen IR
     * nodes each time it is inlined, and a kernel loop is compiled as one unit only while its inlined tree stays
     * under C2's node budget (NodeCountInliningCutoff): with every coefficient broadcast in place, the softmax
     * row loop (an exp plus the row sums) crossed it and called twoToThe out of line with boxed vectors.
     */
    private static final FloatVector ONE_F = all(1f), MINUS_LN2_HI_F = all(-LN2_HI_F), MINUS_LN2_LO_F = all(-LN2_LO_F);
    private static final FloatVector LN2_HI_VF = all(LN2_HI_F), LN2_LO_VF = all(LN2_LO_F);
    /** (e^r − 1)/r = 1 + r/2 + r²/6 + …: the Taylor coefficients 1/(n+1)!, lowest degree first. */
    private static final FloatVector E0 = all(1f), E1 = all(1f / 2), E2 = all(1f / 6), E3 = all(1f / 24),
            E4 = all(1f / 120), E5 = all(1f / 720), E6 = all(1f / 5040);
    /** (log m − 2s)/(2s³) = 1/3 + s²/5 + s⁴/7 + …, lowest degree first. */
    private static final FloatVector A0 = all(1f / 3), A1 = all(1f / 5), A2 = all(1f / 7), A3 = all(1f / 9);

    /** e^x; NaN → NaN, +∞ → +∞, −∞ → 0. */
    static FloatVector exp(FloatVector x) {
        FloatVector clamped = x.max(EXP_MIN_F).min(EXP_MAX_F); // max/min keep NaN
        FloatVector k = clamped.fma(LOG2_E_F, ROUND_F).sub(ROUND_F);
        FloatVector r = k.fma(MINUS_LN2_LO_F, k.fma(MINUS_LN2_HI_F, clamped));
        FloatVector er = r.fma(expm1OverR(r), ONE_F); // e^r = 1 + r·(…)
        IntVector ki = (IntVector) k.convert(VectorOperators.F2I, 0);
        IntVector half = ki.lanewise(VectorOperators.ASHR, 1);
        return er.mul(twoToThe(half)).mul(twoToThe(ki.sub(half)));
    }

    /** tanh x; ±0 and NaN pass through, ±∞ → ±1. */
    static FloatVector tanh(FloatVector x) {
        FloatVector twice = x.abs().min(TANH_CAP_F).mul(2f);
        FloatVector k = twice.fma(LOG2_E_F, ROUND_F).sub(ROUND_F);
        FloatVector r = k.fma(MINUS_LN2_LO_F, k.fma(MINUS_LN2_HI_F, twice));
        FloatVector scale = twoToThe((IntVector) k.convert(VectorOperators.F2I, 0));
        FloatVector expm1 = r.mul(expm1OverR(r)).fma(scale, scale.sub(1f));
        FloatVector magnitude = expm1.div(expm1.add(2f));
        IntVector sign = x.reinterpretAsInts().and(Integer.MIN_VALUE);
        return magnitude.reinterpretAsInts().or(sign).reinterpretAsFloats();
    }

    /** ln x; +0 and −0 → −∞, x &lt; 0 and NaN → NaN, +∞ → +∞; subnormal x are scaled into the normal range first. */
    static FloatVector log(FloatVector x) {
        VectorMask<Float> subnormal = x.compare(VectorOperators.LT, Float.MIN_NORMAL);
        FloatVector normal = x.blend(x.mul(0x1p23f), subnormal);
        IntVector bits = normal.reinterpretAsInts();
        FloatVector exponent = ((FloatVector) bits.lanewise(VectorOperators.LSHR, 23).convert(VectorOperators.I2F, 0))
                .sub(127f).sub(23f, subnormal);
        FloatVector m = bits.and(0x007fffff).or(0x3f800000).reinterpretAsFloats(); // the significand, in [1, 2)
        VectorMask<Float> high = m.compare(VectorOperators.GT, SQRT_2_F);
        m = m.blend(m.mul(0.5f), high);
        exponent = exponent.add(1f, high);
        FloatVector f = m.sub(1f); // exact (Sterbenz)
        FloatVector s = f.div(f.add(2f));
        FloatVector s2 = s.mul(s);
        FloatVector twoS = s.mul(2f);
        FloatVector logM = twoS.mul(s2).fma(atanhSeries(s2), twoS);
        FloatVector result = exponent.fma(LN2_HI_VF, exponent.fma(LN2_LO_VF, logM));
        result = result.blend(Float.NEGATIVE_INFINITY, x.compare(VectorOperators.EQ, 0f));
        result = result.blend(Float.POSITIVE_INFINITY, x.compare(VectorOperators.EQ, Float.POSITIVE_INFINITY));
        return result.blend(Float.NaN, x.compare(VectorOperators.LT, 0f).or(x.test(VectorOperators.IS_NAN)));
    }

    /**
     * (e^r − 1)/r by Horner, written out: a loop over the coefficients carries a vector around a loop, which C2
     * stopped keeping in registers once several of these were inlined into one kernel (GELU_ERF: 3 ns per element
     * instead of 1).
     */
    private static FloatVector expm1OverR(FloatVector r) {
        return r.fma(E6, E5).fma(r, E4).fma(r, E3).fma(r, E2).fma(r, E1).fma(r, E0);
    }

    /** (log m − 2s)/(2s³) as a polynomial in s², by Horner. */
    private static FloatVector atanhSeries(FloatVector s2) {
        return s2.fma(A3, A2).fma(s2, A1).fma(s2, A0);
    }

    private static FloatVector all(float value) {
        return FloatVector.broadcast(F, value);
    }

    /** 2^k for integral k in [−126, 127], from its exponent bits. */
    private static FloatVector twoToThe(IntVector k) {
        return k.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
    }
}
