package dev.ranker4j.training.sampling;

import dev.ranker4j.ir.data.Qrels;
import dev.ranker4j.ir.data.Run;
import dev.ranker4j.ir.data.ScoredDoc;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Localized negatives for Localized Contrastive Estimation (Gao, Dai and Callan, ECIR 2021, "Rethink Training of BERT
 * Rerankers in Multi-Stage Retrieval Pipeline"): a re-ranker is trained on the negatives the retriever it will sit
 * behind actually returns. For every judged training query that the target retriever's run answers and that has at
 * least one relevant passage, sample {@code n} negatives uniformly without replacement from the run's top {@code m}
 * documents that are not judged relevant (grade below the threshold, or unjudged). With fewer than {@code n} such
 * documents all of them are kept. Sampling for a query depends only on the seed and the query id.
 */
public final class LocalizedNegativeSampler {
    private final int negatives;
    private final int depth;
    private final int relevanceThreshold;
    private final long seed;

    /**
     * @param negatives          n, negatives per query
     * @param depth              m, how deep in the run negatives are drawn from
     * @param relevanceThreshold a passage with grade &ge; this is relevant (1 for binary qrels)
     * @param seed               the random seed
     */
    public LocalizedNegativeSampler(int negatives, int depth, int relevanceThreshold, long seed) {
        if (negatives < 1 || depth < 1) {
            throw new IllegalArgumentException("negatives and depth must be positive: " + negatives + ", " + depth);
        }
        this.negatives = negatives;
        this.depth = depth;
        this.relevanceThreshold = relevanceThreshold;
        this.seed = seed;
    }

    /** One entry per usable query, in qrels order. */
    public List<LocalizedNegatives> sample(Run run, Qrels qrels) {
        List<LocalizedNegatives> samples = new ArrayList<>();
        for (String queryId : qrels.queryIds()) {
            if (!run.contains(queryId)) continue;
            Map<String, Integer> judged = qrels.judgments(queryId);
            List<String> positives = judged.entrySet().stream().filter(e -> e.getValue() >= relevanceThreshold)
                    .map(Map.Entry::getKey).toList();
            if (positives.isEmpty()) continue;
            List<ScoredDoc> ranking = run.ranking(queryId);
            List<String> candidates = new ArrayList<>();
            for (ScoredDoc doc : ranking.subList(0, Math.min(depth, ranking.size()))) {
                if (judged.getOrDefault(doc.docId(), Integer.MIN_VALUE) < relevanceThreshold) {
                    candidates.add(doc.docId());
                }
            }
            List<String> drawn = Sampling.withoutReplacement(candidates, negatives, KeyedRandom.forKey(seed, queryId));
            // Written in the retriever's rank order: readable, and the draw itself already decided membership.
            java.util.Set<String> drawnSet = new java.util.HashSet<>(drawn);
            List<String> inRankOrder = candidates.stream().filter(drawnSet::contains).toList();
            samples.add(new LocalizedNegatives(queryId, positives, inRankOrder));
        }
        return samples;
    }
}
