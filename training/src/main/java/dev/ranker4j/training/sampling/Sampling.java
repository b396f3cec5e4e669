package dev.ranker4j.training.sampling;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Small sampling helpers shared by the samplers. */
final class Sampling {
    private Sampling() {}

    /**
     * {@code n} distinct elements drawn uniformly without replacement (a partial Fisher-Yates shuffle), in draw order;
     * all of them, shuffled, when there are at most {@code n}.
     */
    static <T> List<T> withoutReplacement(List<T> pool, int n, SplittableRandom random) {
        List<T> copy = new ArrayList<>(pool);
        int take = Math.min(n, copy.size());
        for (int i = 0; i < take; i++) {
            int j = i + random.nextInt(copy.size() - i);
            T swap = copy.get(i);
            copy.set(i, copy.get(j));
            copy.set(j, swap);
        }
        return new ArrayList<>(copy.subList(0, take));
    }

    /** {@code n} elements: without replacement while the pool lasts, then again from a fresh shuffle. */
    static <T> List<T> cycling(List<T> pool, int n, SplittableRandom random) {
        List<T> drawn = new ArrayList<>(n);
        while (drawn.size() < n) drawn.addAll(withoutReplacement(pool, n - drawn.size(), random));
        return drawn;
    }
}
