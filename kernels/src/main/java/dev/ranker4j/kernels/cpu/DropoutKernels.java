package dev.ranker4j.kernels.cpu;

import dev.ranker4j.kernels.CounterRandom;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Dropout masks from {@link CounterRandom}, one SplitMix64 position per vector lane: the two {@code mix64} rounds
 * are xor-shifts and 64-bit multiplies, which LongVector does lane by lane (one {@code vpmullq} per multiply on
 * AVX-512DQ), so a lane computes exactly the long the scalar loop computes for its position. The keep test is done
 * on integers, {@code word >>> 11 >= ⌈p·2⁵³⌉} ({@link CounterRandom#keepThreshold}: exactly {@code unit >= p}),
 * which saves a long-to-double conversion per lane; the scalar tail uses the double form.
 *
 * <p>Cost: the scalar loop spends a few ns per element on its dependent chain of six multiplies and shifts; the
 * vector loop runs {@code LongVector.SPECIES_PREFERRED.length()} chains at once (8 with AVX-512). The output is
 * written through a float (or double) vector with as many lanes as the long vector, so the keep mask carries over
 * lane for lane. Threads take blocks of {@link WorkSplit}; every element depends only on its position, so any split
 * gives the same bits.
 */
final class DropoutKernels {
    private DropoutKernels() {}

    private static final VectorSpecies<Long> L = LongVector.SPECIES_PREFERRED;
    /** Floats with as many lanes as L (half its width), so a VectorMask&lt;Long&gt; casts to them. */
    private static final VectorSpecies<Float> F_LIKE_L =
            VectorSpecies.of(float.class, VectorShape.forBitSize(L.vectorBitSize() / 2));
    private static final VectorSpecies<Double> D_LIKE_L = VectorSpecies.of(double.class, L.vectorShape());

    private static final long MIX1 = 0xBF58476D1CE4E5B9L, MIX2 = 0x94D049BB133111EBL;

    static void dropoutMask(WorkSplit split, long seed, long firstPosition, double p, float[] out, int outOff, int n) {
        long mixedSeed = CounterRandom.streamSeed(seed);
        float kept = (float) CounterRandom.keptValue(p);
        long threshold = CounterRandom.keepThreshold(p);
        split.forElements(n, (from, to) ->
                mask(mixedSeed, firstPosition + from, p, threshold, kept, out, outOff + from, to - from));
    }

    /**
     * out[oo + i] = the mask at position {@code position + i}, i < n. The loop body calls no method of its own (the
     * two {@code mix64} rounds of {@link CounterRandom#word} are written out): when a large caller inlines this
     * method (the fused attention does, row by row), C2 may run out of its inlining budget half-way, and a helper it
     * then leaves as a call takes and returns boxed vectors. That happened with {@code mix64} as a method: 0.8 GB of
     * boxed LongVectors per training step (JFR), and the mask ran several times slower.
     */
    static void mask(long mixedSeed, long position, double p, long threshold, float kept,
                     float[] out, int oo, int n) {
        LongVector lanes = LongVector.zero(L).addIndex(1);
        FloatVector keep = FloatVector.broadcast(F_LIKE_L, kept), drop = FloatVector.zero(F_LIKE_L);
        int i = 0;
        for (int bound = L.loopBound(n); i < bound; i += L.length()) {
            // word(position + i + lane, 0) >>> 11 = mix64(mix64(seed' + p·γ) + γ) >>> 11, lane by lane
            LongVector z = lanes.add(position + i).mul(CounterRandom.GAMMA).add(mixedSeed);
            z = z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 30)).mul(MIX1);
            z = z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 27)).mul(MIX2);
            z = z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 31)).add(CounterRandom.GAMMA);
            z = z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 30)).mul(MIX1);
            z = z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 27)).mul(MIX2);
            z = z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 31)).lanewise(VectorOperators.LSHR, 11);
            VectorMask<Long> keeps = z.compare(VectorOperators.GE, threshold);
            drop.blend(keep, keeps.cast(F_LIKE_L)).intoArray(out, oo + i);
        }
        for (; i < n; i++) out[oo + i] = CounterRandom.unit(mixedSeed, position + i, 0) >= p ? kept : 0f;
    }
}
