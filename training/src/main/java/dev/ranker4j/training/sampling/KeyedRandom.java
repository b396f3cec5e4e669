package dev.ranker4j.training.sampling;

import java.util.SplittableRandom;

/**
 * Random streams that depend only on a seed and a name, not on the order things are processed in: sampling for query
 * {@code q} with seed {@code s} gives the same result whether q is the first query of a file or the last.
 */
final class KeyedRandom {
    private KeyedRandom() {}

    /** A generator for {@code key} under {@code seed}. */
    static SplittableRandom forKey(long seed, String key) {
        long h = seed;
        for (int i = 0; i < key.length(); i++) h = mix(h ^ key.charAt(i));
        return new SplittableRandom(mix(h ^ key.length()));
    }

    /** SplitMix64's finaliser: a bijective 64-bit mix. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
