package dev.ranker4j.kernels;

/**
 * The one definition of ranker4j's counter-based random numbers, shared by {@code SeededRandom} (tensor) and the
 * dropout kernels of every backend: a value depends only on (seed, position, draw), never on which thread or device
 * computes it, so a vector loop, a worker thread or a GPU work-item reproduces the scalar loop bit for bit.
 *
 * <p>Element position p draws from its own SplitMix64 stream (Steele, Lea &amp; Flood, "Fast splittable pseudorandom
 * number generators", OOPSLA 2014) whose seed is the p-th SplitMix64 output of the global seed:
 * <pre>
 *   word(p, d) = mix64(mix64(seed' + p·γ) + (d + 1)·γ)      γ = 0x9E3779B97F4A7C15, seed' = mix64(seed)
 *   unit(p, d) = (word(p, d) >>> 11) · 2⁻⁵³                  uniform in [0, 1), the top 53 bits
 * </pre>
 * All arithmetic is on 64-bit two's-complement longs (wrapping), which Java, the Vector API and OpenCL share.
 *
 * <p>Dropout (inverted, as PyTorch's): element i of a mask starting at position q is
 * {@code unit(q + i, 0) >= p ? 1/(1 − p) : 0}; see {@link #keptValue} and {@link #keepThreshold}.
 */
public final class CounterRandom {
    private CounterRandom() {}

    /** γ, the golden-ratio increment of SplitMix64: ⌊2⁶⁴/φ⌋ made odd. */
    public static final long GAMMA = 0x9E3779B97F4A7C15L;

    /** 2⁻⁵³: scales a 53-bit integer into [0, 1). */
    public static final double UNIT_SCALE = 0x1.0p-53;

    /**
     * SplitMix64's finaliser (variant 13 of Stafford's mixers):
     * <pre>
     *   z = (z ^ (z >>> 30)) · 0xBF58476D1CE4E5B9;   z = (z ^ (z >>> 27)) · 0x94D049BB133111EB;   z ^ (z >>> 31)
     * </pre>
     */
    public static long mix64(long z) {
        z = (z ^ shiftRightUnsigned(z, 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ shiftRightUnsigned(z, 27)) * 0x94D049BB133111EBL;
        return z ^ shiftRightUnsigned(z, 31);
    }

    /**
     * {@code z >>> s} for 0 &lt; s &lt; 64, written as an arithmetic shift whose copies of the sign bit are masked
     * off. Why not {@code >>>}: TornadoVM compiles Java's {@code >>>} on a long to OpenCL's {@code >>} on a signed
     * long, which copies the sign bit, and the device's dropout kernel runs this very code. The JIT folds the mask
     * (s is a constant at every call).
     */
    public static long shiftRightUnsigned(long z, int s) {
        return (z >> s) & ~(-1L << (64 - s));
    }

    /** seed' = mix64(seed): computed once per generator (or kernel call), then passed to {@link #word}. */
    public static long streamSeed(long seed) {
        return mix64(seed);
    }

    /** word(position, draw) for the generator whose {@link #streamSeed} is {@code mixedSeed}. */
    public static long word(long mixedSeed, long position, int draw) {
        return mix64(mix64(mixedSeed + position * GAMMA) + (draw + 1L) * GAMMA);
    }

    /** unit(position, draw): uniform in [0, 1) from the top 53 bits of the word. */
    public static double unit(long mixedSeed, long position, int draw) {
        return topBits(word(mixedSeed, position, draw)) * UNIT_SCALE;
    }

    /** The top 53 bits of a word, as an integer in [0, 2⁵³): {@code word >>> 11}. */
    public static long topBits(long word) {
        return shiftRightUnsigned(word, 11);
    }

    /**
     * The value a dropout mask keeps: 1/(1 − p), so that {@code x · mask} keeps x's expected value; 0 when p = 1
     * (everything dropped). Throws for p outside [0, 1] (or NaN).
     */
    public static double keptValue(double p) {
        if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException("dropoutMask: p must be in [0, 1], got " + p);
        return p == 1 ? 0 : 1 / (1 - p);
    }

    /**
     * The integer form of the test {@code unit >= p}, for kernels that would rather not convert longs to doubles:
     * with u = word >>> 11 (an integer below 2⁵³), u·2⁻⁵³ ≥ p ⇔ u ≥ p·2⁵³ ⇔ u ≥ ⌈p·2⁵³⌉. Every step is exact: p·2⁵³
     * only changes p's exponent, and a double in [0, 2⁵³] has an exact ceiling that fits a long.
     */
    public static long keepThreshold(double p) {
        keptValue(p); // validates p
        return (long) Math.ceil(p * 0x1.0p53);
    }
}
