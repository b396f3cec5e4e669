package dev.ranker4j.training.sampling;

import dev.ranker4j.ir.data.Qrels;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The control for localized negatives (Gao, Dai and Callan, ECIR 2021, Table 2's "Random" rows): the same grouped
 * training data as {@link LocalizedNegativeSampler}, but each query's {@code n} negatives are drawn uniformly from
 * the whole corpus (its judged relevant passages excluded) instead of from a retriever's top results. Seeded per
 * query, like every sampler here.
 */
public final class RandomNegativeSampler {
    private final int negatives;
    private final int relevanceThreshold;
    private final long seed;

    /**
     * @param negatives          n, negatives per query
     * @param relevanceThreshold judged grade at or above which a passage is a positive (and never a negative)
     */
    public RandomNegativeSampler(int negatives, int relevanceThreshold, long seed) {
        if (negatives < 1) throw new IllegalArgumentException("negatives must be positive: " + negatives);
        this.negatives = negatives;
        this.relevanceThreshold = relevanceThreshold;
        this.seed = seed;
    }

    /** One entry per judged query with a positive, in qrels order; {@code corpusIds} in corpus order. */
    public List<LocalizedNegatives> sample(List<String> corpusIds, Qrels qrels) {
        List<LocalizedNegatives> samples = new ArrayList<>();
        for (String queryId : qrels.queryIds()) {
            Map<String, Integer> judged = qrels.judgments(queryId);
            List<String> positives = judged.entrySet().stream().filter(e -> e.getValue() >= relevanceThreshold)
                    .map(Map.Entry::getKey).toList();
            if (positives.isEmpty()) continue;
            Set<String> excluded = new HashSet<>(positives);
            var random = KeyedRandom.forKey(seed, queryId);
            List<String> drawn = new ArrayList<>(negatives);
            Set<String> taken = new HashSet<>();
            // Rejection sampling: the corpus is far larger than n, so a draw almost never repeats.
            int wanted = Math.min(negatives, corpusIds.size() - excluded.size());
            while (drawn.size() < wanted) {
                String id = corpusIds.get(random.nextInt(corpusIds.size()));
                if (!excluded.contains(id) && taken.add(id)) drawn.add(id);
            }
            samples.add(new LocalizedNegatives(queryId, positives, drawn));
        }
        return samples;
    }
}
