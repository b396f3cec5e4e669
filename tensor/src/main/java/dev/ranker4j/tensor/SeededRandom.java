package dev.ranker4j.tensor;

import dev.ranker4j.kernels.AttentionDropout;
import dev.ranker4j.kernels.Backends;
import dev.ranker4j.kernels.CounterRandom;
import dev.ranker4j.kernels.ScalarMath;

/**
 * A counter-based random generator for initialisation and dropout: its whole state is (seed, counter), so a
 * training run saves two longs and resumes bit-identically, and no value depends on thread scheduling.
 *
 * <p>Every generated element has a position p = counter, counter + 1, ...; a call producing N elements advances the
 * counter by N. Element p draws from its own SplitMix64 stream (Steele, Lea &amp; Flood, "Fast splittable
 * pseudorandom number generators", OOPSLA 2014) whose seed is the p-th SplitMix64 output of the global seed:
 * <pre>
 *   word(p, d) = mix64(mix64(seed' + p·γ) + (d + 1)·γ)      γ = 0x9E3779B97F4A7C15, seed' = mix64(seed)
 * </pre>
 * Element p may use several words d = 0, 1, ... (Box–Muller needs two, rejection sampling more) without touching
 * the words of any other element: a tensor of N values always consumes exactly N positions. The definition lives
 * in {@link CounterRandom} (kernels), shared with the backends' dropout kernels, which therefore draw the same
 * masks as a scalar loop here would.
 *
 * <p>Not thread-safe: give each thread its own generator (or synchronise).
 */
public final class SeededRandom {
    /** Everything needed to continue the sequence exactly: store it in a checkpoint. */
    public record State(long seed, long counter) {}

    private final long seed;
    private final long mixedSeed;
    private long counter;

    public SeededRandom(long seed) {
        this(new State(seed, 0));
    }

    /** A generator that continues exactly where the one that produced {@code state} was. */
    public SeededRandom(State state) {
        this.seed = state.seed();
        this.mixedSeed = CounterRandom.streamSeed(state.seed());
        this.counter = state.counter();
    }

    public State state() {
        return new State(seed, counter);
    }

    // ============================================================================================ tensor factories

    /** Values from N(mean, std²). */
    public Tensor normal(DType dtype, double mean, double std, int... shape) {
        Tensor out = Tensor.zeros(dtype, shape);
        long base = advance(out.numel());
        for (int i = 0; i < out.numel(); i++) out.storage.setFromDouble(i, mean + std * standardNormal(base + i, 0));
        return out;
    }

    /** Values from U[low, high). */
    public Tensor uniform(DType dtype, double low, double high, int... shape) {
        Tensor out = Tensor.zeros(dtype, shape);
        long base = advance(out.numel());
        for (int i = 0; i < out.numel(); i++) out.storage.setFromDouble(i, low + (high - low) * unit(base + i, 0));
        return out;
    }

    /**
     * Values from N(mean, std²) conditioned on [a, b] (a and b absolute bounds, as torch.nn.init.trunc_normal_, whose
     * defaults are a = −2, b = 2). Sampled by rejection, which gives exactly the truncated distribution; refused when
     * the window holds less than 0.1% of the mass (rejection would crawl there).
     */
    public Tensor truncatedNormal(DType dtype, double mean, double std, double a, double b, int... shape) {
        if (!(std > 0) || !(a < b)) {
            throw new IllegalArgumentException("truncatedNormal: need std > 0 and a < b, got std " + std + ", [" + a + ", " + b + "]");
        }
        double mass = normalCdf((b - mean) / std) - normalCdf((a - mean) / std);
        if (mass < 1e-3) {
            throw new IllegalArgumentException("truncatedNormal: [" + a + ", " + b + "] holds only " + mass
                    + " of N(" + mean + ", " + std + "²); rejection sampling needs at least 0.001");
        }
        Tensor out = Tensor.zeros(dtype, shape);
        long base = advance(out.numel());
        for (int i = 0; i < out.numel(); i++) {
            double value;
            int draw = 0;
            do {
                value = mean + std * standardNormal(base + i, draw);
                draw += 2;
            } while (value < a || value > b);
            out.storage.setFromDouble(i, value);
        }
        return out;
    }

    /**
     * Inverted-dropout mask: each element is 0 with probability p and 1/(1 − p) otherwise, so that
     * {@code x.mul(mask)} keeps the expected value of x. p = 1 gives all zeros.
     */
    public Tensor dropoutMask(DType dtype, double p, int... shape) {
        double keptValue = CounterRandom.keptValue(p); // validates p before the counter moves
        Tensor out = Tensor.zeros(dtype, shape);
        int n = out.numel();
        long base = advance(n);
        switch (dtype) {
            // The backend's kernel computes the same elements as the loop below (Backend.dropoutMask), in lanes.
            case F32, F64 -> Backends.current().dropoutMask(seed, base, p, out.ref(), n);
            default -> {
                for (int i = 0; i < n; i++) out.storage.setFromDouble(i, unit(base + i, 0) >= p ? keptValue : 0);
            }
        }
        return out;
    }

    /**
     * Dropout for the fused attention kernels, which draw their mask themselves: reserves the positions of a
     * [batch, heads, seqQ, seqK] mask exactly as {@link #dropoutMask}{@code (dtype, p, batch, heads, seqQ, seqK)}
     * would (the counter moves by their number) and returns where they start, so the kernel drops the very elements
     * that mask would drop.
     */
    public AttentionDropout attentionDropout(double p, int batch, int heads, int seqQ, int seqK) {
        CounterRandom.keptValue(p); // validates p before the counter moves
        long count = (long) Shape.checkedSize("attentionDropout", new int[] {batch, heads, seqQ, seqK});
        return new AttentionDropout(seed, advance(count), p);
    }

    // ============================================================================================ single values

    /** 64 random bits (one position). */
    public long nextLong() {
        return word(advance(1), 0);
    }

    /** Uniform in [0, 1) (one position). */
    public double nextDouble() {
        return unit(advance(1), 0);
    }

    /** Uniform in [0, bound) without modulo bias (one position), e.g. for shuffling. */
    public int nextInt(int bound) {
        if (bound <= 0) throw new IllegalArgumentException("nextInt: bound must be positive, got " + bound);
        long position = advance(1);
        // Words below 2^64 mod bound are rejected: the rest span a whole number of bound-sized ranges.
        long threshold = Long.remainderUnsigned(-(long) bound, bound);
        for (int draw = 0; ; draw++) {
            long bits = word(position, draw);
            if (Long.compareUnsigned(bits, threshold) >= 0) return (int) Long.remainderUnsigned(bits, bound);
        }
    }

    // ================================================================================================= internals

    private long advance(long count) {
        long base = counter;
        counter += count;
        return base;
    }

    private long word(long position, int draw) {
        return CounterRandom.word(mixedSeed, position, draw);
    }

    /** Uniform in [0, 1) from the top 53 bits. */
    private double unit(long position, int draw) {
        return CounterRandom.unit(mixedSeed, position, draw);
    }

    /** Box–Muller: √(−2 ln u₁) · cos(2π u₂) with u₁ in (0, 1], using words draw and draw + 1. */
    private double standardNormal(long position, int draw) {
        double u1 = 1.0 - unit(position, draw);
        double u2 = unit(position, draw + 1);
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
    }

    private static double normalCdf(double x) {
        return 0.5 * (1 + ScalarMath.erf(x / Math.sqrt(2)));
    }
}
