package dev.ranker4j.training.sampling;

import dev.ranker4j.ir.data.Qrels;
import dev.ranker4j.ir.data.Run;
import dev.ranker4j.ir.data.ScoredDoc;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * RocketQAv2's hybrid data augmentation (Ren et al., EMNLP 2021, "RocketQAv2: A Joint Training Method for Dense
 * Passage Retrieval and Passage Re-ranking", section 3.3). For each training query, with P = its ground-truth
 * positives, R = the retriever's top-n passages and s(p) the re-ranker's score of a retrieved passage:
 * <ul>
 *   <li><b>undenoised</b> instances: a positive drawn from P and negatives drawn uniformly from R \ P;</li>
 *   <li><b>denoised</b> instances: positives drawn from P ∪ {p ∈ R : s(p) &ge; positiveThreshold} (confident
 *       positives the judges missed) and negatives from {p ∈ R \ P : s(p) &lt; negativeThreshold} (retrieved
 *       "negatives" the re-ranker scores as relevant are dropped as likely false negatives).</li>
 * </ul>
 * Each instance is a {@link ListwiseInstance} of {@code listSize} passages (1 positive + listSize-1 negatives);
 * negatives are drawn without replacement, and with repeats only when the pool is smaller than listSize-1. A query
 * whose pool of positives or negatives is empty yields no instance of that kind. The instances of all queries are
 * mixed in one seeded shuffle.
 */
public final class HybridDataAugmentation {
    /**
     * @param listSize           passages per instance (&ge; 2)
     * @param retrievedDepth     n, the retriever's top-n considered
     * @param negativeThreshold  retrieved non-positives scoring at or above this are dropped from denoised negatives
     * @param positiveThreshold  retrieved passages scoring at or above this join the denoised positives
     * @param undenoisedPerQuery undenoised instances per query
     * @param denoisedPerQuery   denoised instances per query
     * @param relevanceThreshold qrels grade that makes a ground-truth positive
     * @param seed               the random seed
     */
    public record Settings(int listSize, int retrievedDepth, double negativeThreshold, double positiveThreshold,
                           int undenoisedPerQuery, int denoisedPerQuery, int relevanceThreshold, long seed) {
        public Settings {
            if (listSize < 2 || retrievedDepth < 1 || undenoisedPerQuery < 0 || denoisedPerQuery < 0) {
                throw new IllegalArgumentException("need listSize >= 2, retrievedDepth >= 1 and non-negative"
                        + " instance counts");
            }
            if (positiveThreshold < negativeThreshold) {
                throw new IllegalArgumentException("positiveThreshold " + positiveThreshold
                        + " is below negativeThreshold " + negativeThreshold);
            }
        }
    }

    private final Settings settings;

    public HybridDataAugmentation(Settings settings) {
        this.settings = settings;
    }

    /**
     * Builds the mixed instances.
     *
     * @param retrieved      the retriever's run on the training queries
     * @param rerankerScores the re-ranker's scores of (at least) every query's top-n retrieved passages
     * @param qrels          ground truth
     */
    public List<ListwiseInstance> build(Run retrieved, Run rerankerScores, Qrels qrels) {
        List<ListwiseInstance> instances = new ArrayList<>();
        for (String queryId : qrels.queryIds()) {
            if (!retrieved.contains(queryId)) continue;
            Set<String> groundTruth = new LinkedHashSet<>();
            qrels.judgments(queryId).forEach((doc, grade) -> {
                if (grade >= settings.relevanceThreshold()) groundTruth.add(doc);
            });
            if (groundTruth.isEmpty()) continue;
            List<ScoredDoc> ranking = retrieved.ranking(queryId);
            List<String> top = ranking.subList(0, Math.min(settings.retrievedDepth(), ranking.size())).stream()
                    .map(ScoredDoc::docId).toList();
            Map<String, Double> scores = rerankerScoresOf(rerankerScores, queryId, top);
            SplittableRandom random = KeyedRandom.forKey(settings.seed(), queryId);

            List<String> plainNegatives = top.stream().filter(doc -> !groundTruth.contains(doc)).toList();
            add(instances, queryId, List.copyOf(groundTruth), plainNegatives, settings.undenoisedPerQuery(), false,
                    random);

            Set<String> denoisedPositives = new LinkedHashSet<>(groundTruth);
            for (String doc : top) if (scores.get(doc) >= settings.positiveThreshold()) denoisedPositives.add(doc);
            List<String> denoisedNegatives = plainNegatives.stream()
                    .filter(doc -> !denoisedPositives.contains(doc) && scores.get(doc) < settings.negativeThreshold())
                    .toList();
            add(instances, queryId, List.copyOf(denoisedPositives), denoisedNegatives, settings.denoisedPerQuery(),
                    true, random);
        }
        Collections.shuffle(instances, new java.util.Random(settings.seed()));
        return instances;
    }

    private void add(List<ListwiseInstance> instances, String queryId, List<String> positives, List<String> negatives,
                     int count, boolean denoised, SplittableRandom random) {
        if (positives.isEmpty() || negatives.isEmpty()) return;
        for (int i = 0; i < count; i++) {
            List<String> passages = new ArrayList<>(settings.listSize());
            passages.add(positives.get(random.nextInt(positives.size())));
            passages.addAll(Sampling.cycling(negatives, settings.listSize() - 1, random));
            instances.add(new ListwiseInstance(queryId, passages, denoised));
        }
    }

    private static Map<String, Double> rerankerScoresOf(Run rerankerScores, String queryId, List<String> top) {
        Map<String, Double> scores = new java.util.HashMap<>();
        for (ScoredDoc doc : rerankerScores.ranking(queryId)) scores.put(doc.docId(), doc.score());
        for (String doc : top) {
            if (!scores.containsKey(doc)) {
                throw new IllegalArgumentException("the re-ranker scores lack query " + queryId + ", passage " + doc
                        + " (every retrieved top-n passage needs a score)");
            }
        }
        return scores;
    }
}
