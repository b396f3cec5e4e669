package dev.ranker4j.training.sampling;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Topic-Aware, Balanced-margin batches (TAS-Balanced; Hofstätter, Lin, Yang, Lin and Hanbury, SIGIR 2021, "Efficiently
 * Teaching an Effective Dense Retriever with Balanced Topic Aware Sampling"), section 3:
 * <ul>
 *   <li><b>Topic aware:</b> the training queries are clustered ({@link QueryClustering}); a batch of size b draws
 *       n distinct clusters uniformly at random and ⌊b/n⌋ queries uniformly from each, so in-batch negatives come
 *       from related topics. A batch therefore holds n·⌊b/n⌋ queries. Queries are drawn without replacement within
 *       a batch; a cluster with fewer than ⌊b/n⌋ queries repeats some.</li>
 *   <li><b>Balanced margins:</b> each query's (p+, p-) pairs are put in h equal-width bins of teacher margin between
 *       that query's smallest and largest margin; a bin is drawn uniformly among the non-empty ones, then a pair
 *       uniformly within it. Rare large- and small-margin pairs are thus seen as often as the common ones.</li>
 * </ul>
 * Only queries with at least one pair take part. Batches are a pure function of the seed and the inputs.
 */
public final class TasBalancedSampler {
    private final List<List<String>> clusters;
    private final Map<String, List<List<TeacherPair>>> binnedPairs;
    private final int queriesPerCluster;
    private final int clustersPerBatch;
    private final SplittableRandom random;

    /**
     * @param clusters         query ids per topic cluster
     * @param pairs            each query's teacher-scored pairs
     * @param batchSize        b
     * @param clustersPerBatch n (1 &le; n &le; b)
     * @param marginBins       h
     * @param seed             the random seed
     */
    public TasBalancedSampler(List<List<String>> clusters, Map<String, List<TeacherPair>> pairs, int batchSize,
                              int clustersPerBatch, int marginBins, long seed) {
        if (clustersPerBatch < 1 || clustersPerBatch > batchSize || marginBins < 1) {
            throw new IllegalArgumentException("need 1 <= clusters per batch (" + clustersPerBatch + ") <= batch size ("
                    + batchSize + ") and at least one margin bin (" + marginBins + ")");
        }
        this.binnedPairs = new java.util.HashMap<>();
        this.clusters = new ArrayList<>();
        for (List<String> cluster : clusters) {
            List<String> usable = cluster.stream().filter(q -> !pairs.getOrDefault(q, List.of()).isEmpty()).toList();
            if (usable.isEmpty()) continue;
            this.clusters.add(usable);
            for (String queryId : usable) binnedPairs.put(queryId, bins(pairs.get(queryId), marginBins));
        }
        if (this.clusters.size() < clustersPerBatch) {
            throw new IllegalArgumentException(this.clusters.size() + " clusters have queries with pairs; a batch needs "
                    + clustersPerBatch);
        }
        this.queriesPerCluster = batchSize / clustersPerBatch;
        this.clustersPerBatch = clustersPerBatch;
        this.random = new SplittableRandom(seed);
    }

    /** Pairs in {@code h} equal-width margin bins over [min, max]; a pair at max goes to the last bin. */
    static List<List<TeacherPair>> bins(List<TeacherPair> pairs, int h) {
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (TeacherPair pair : pairs) {
            min = Math.min(min, pair.margin());
            max = Math.max(max, pair.margin());
        }
        List<List<TeacherPair>> bins = new ArrayList<>();
        for (int i = 0; i < h; i++) bins.add(new ArrayList<>());
        double width = ((double) max - min) / h;
        for (TeacherPair pair : pairs) {
            int bin = width == 0 ? 0 : (int) Math.min(h - 1, Math.floor((pair.margin() - min) / width));
            bins.get(bin).add(pair);
        }
        bins.removeIf(List::isEmpty);
        return bins;
    }

    /** Number of usable clusters. */
    public int clusterCount() {
        return clusters.size();
    }

    /** The next batch: n·⌊b/n⌋ instances, grouped by cluster. */
    public List<TasBalancedInstance> nextBatch() {
        List<Integer> clusterIndexes = new ArrayList<>();
        for (int i = 0; i < clusters.size(); i++) clusterIndexes.add(i);
        List<TasBalancedInstance> batch = new ArrayList<>(clustersPerBatch * queriesPerCluster);
        for (int cluster : Sampling.withoutReplacement(clusterIndexes, clustersPerBatch, random)) {
            for (String queryId : Sampling.cycling(clusters.get(cluster), queriesPerCluster, random)) {
                List<List<TeacherPair>> bins = binnedPairs.get(queryId);
                List<TeacherPair> bin = bins.get(random.nextInt(bins.size()));
                batch.add(new TasBalancedInstance(queryId, cluster, bin.get(random.nextInt(bin.size()))));
            }
        }
        return batch;
    }

    /** The next {@code count} batches. */
    public List<List<TasBalancedInstance>> batches(int count) {
        List<List<TasBalancedInstance>> batches = new ArrayList<>(count);
        for (int i = 0; i < count; i++) batches.add(nextBatch());
        return batches;
    }
}
