package dev.ranker4j.training.sampling;

import dev.ranker4j.ir.data.Judgment;
import dev.ranker4j.ir.data.Qrels;
import dev.ranker4j.ir.data.Run;
import dev.ranker4j.ir.data.RunEntry;
import dev.ranker4j.ir.retrieval.DenseVectors;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** TAS-Balanced: clustering, batch composition statistics and margin balancing. */
class TasBalancedSamplerTest {

    /** 6 topics of 10 queries each, as tight blobs around distant centres. */
    private static DenseVectors sixTopics() {
        SplittableRandom random = new SplittableRandom(7);
        List<String> ids = new ArrayList<>();
        float[][] rows = new float[60][8];
        for (int i = 0; i < 60; i++) {
            ids.add("t" + (i % 6) + "-q" + i);
            for (int j = 0; j < 8; j++) rows[i][j] = (j == i % 6 ? 10 : 0) + (float) random.nextDouble(-0.5, 0.5);
        }
        return DenseVectors.of(ids, rows, false);
    }

    private static Map<String, List<TeacherPair>> onePairEach(List<String> queries) {
        Map<String, List<TeacherPair>> pairs = new LinkedHashMap<>();
        for (String q : queries) pairs.put(q, List.of(new TeacherPair(q + "+", q + "-", 5, 1)));
        return pairs;
    }

    @Test
    void kMeansPlusPlusRecoversSeparatedTopicsReproducibly() {
        List<List<String>> clusters = QueryClustering.kMeansPlusPlus(sixTopics(), 6, 100, 3);
        assertEquals(6, clusters.size());
        for (List<String> cluster : clusters) {
            assertEquals(10, cluster.size());
            assertEquals(1, cluster.stream().map(id -> id.substring(0, 2)).distinct().count(), cluster.toString());
        }
        assertEquals(clusters, QueryClustering.kMeansPlusPlus(sixTopics(), 6, 100, 3));
    }

    @Test
    void batchesDrawFloorBOverNQueriesFromEachOfNDistinctClusters() {
        DenseVectors queries = sixTopics();
        List<List<String>> clusters = QueryClustering.kMeansPlusPlus(queries, 6, 100, 3);
        int b = 14;
        int n = 3; // ⌊14/3⌋ = 4 queries from each of 3 clusters: 12 per batch
        TasBalancedSampler sampler = new TasBalancedSampler(clusters, onePairEach(queries.ids()), b, n, 10, 11);
        Map<Integer, Integer> clusterUse = new HashMap<>();
        int batches = 3000;
        for (List<TasBalancedInstance> batch : sampler.batches(batches)) {
            assertEquals(12, batch.size());
            Map<Integer, List<String>> byCluster = new HashMap<>();
            for (TasBalancedInstance instance : batch) {
                byCluster.computeIfAbsent(instance.cluster(), c -> new ArrayList<>()).add(instance.queryId());
                assertTrue(clusters.get(instance.cluster()).contains(instance.queryId()));
            }
            assertEquals(3, byCluster.size());
            byCluster.values().forEach(members -> {
                assertEquals(4, members.size());
                assertEquals(4, new HashSet<>(members).size(), "no query twice from a cluster of 10");
            });
            byCluster.keySet().forEach(c -> clusterUse.merge(c, 1, Integer::sum));
        }
        // Each cluster is in a batch with probability n/k = 1/2.
        assertEquals(6, clusterUse.size());
        clusterUse.values().forEach(used -> assertEquals(0.5, used / (double) batches, 0.04, clusterUse.toString()));
    }

    @Test
    void aClusterSmallerThanItsShareRepeatsQueries() {
        Map<String, List<TeacherPair>> pairs = onePairEach(List.of("a", "b", "c", "d"));
        TasBalancedSampler sampler = new TasBalancedSampler(List.of(List.of("a"), List.of("b", "c", "d")), pairs, 6, 2,
                1, 5);
        for (List<TasBalancedInstance> batch : sampler.batches(20)) {
            assertEquals(3, batch.stream().filter(i -> i.queryId().equals("a")).count());
            assertEquals(Set.of("b", "c", "d"), batch.stream().map(TasBalancedInstance::queryId)
                    .filter(q -> !q.equals("a")).collect(java.util.stream.Collectors.toSet()));
        }
    }

    @Test
    void marginBinsAreDrawnUniformlyNotByTheirSize() {
        // 97 pairs with margins in [0, 0.1), 2 at 0.5, 1 at 1.0; with h = 10 the non-empty bins are 0, 5 and 9.
        List<TeacherPair> pairs = new ArrayList<>();
        for (int i = 0; i < 97; i++) pairs.add(new TeacherPair("p", "small" + i, i / 1000f, 0));
        pairs.add(new TeacherPair("p", "mid0", 0.5f, 0));
        pairs.add(new TeacherPair("p", "mid1", 0.5f, 0));
        pairs.add(new TeacherPair("p", "large", 1.0f, 0));
        assertEquals(List.of(97, 2, 1), TasBalancedSampler.bins(pairs, 10).stream().map(List::size).toList());

        TasBalancedSampler sampler = new TasBalancedSampler(List.of(List.of("q")), Map.of("q", pairs), 1, 1, 10, 9);
        Map<String, Integer> drawn = new HashMap<>();
        int rounds = 6000;
        for (List<TasBalancedInstance> batch : sampler.batches(rounds)) {
            String negative = batch.getFirst().pair().negativeId();
            drawn.merge(negative.startsWith("small") ? "small" : negative.startsWith("mid") ? "mid" : "large", 1,
                    Integer::sum);
        }
        for (String bin : List.of("small", "mid", "large")) {
            assertEquals(1 / 3.0, drawn.get(bin) / (double) rounds, 0.03, drawn.toString());
        }
    }

    @Test
    void sameSeedSameBatchesOtherSeedOtherBatches() {
        DenseVectors queries = sixTopics();
        List<List<String>> clusters = QueryClustering.kMeansPlusPlus(queries, 6, 100, 3);
        Map<String, List<TeacherPair>> pairs = onePairEach(queries.ids());
        assertEquals(new TasBalancedSampler(clusters, pairs, 8, 2, 4, 1).batches(5),
                new TasBalancedSampler(clusters, pairs, 8, 2, 4, 1).batches(5));
        assertNotEquals(new TasBalancedSampler(clusters, pairs, 8, 2, 4, 1).batches(5),
                new TasBalancedSampler(clusters, pairs, 8, 2, 4, 2).batches(5));
    }

    @Test
    void teacherPairsPairEveryPositiveWithEveryScoredNegative() {
        Run teacher = Run.of(List.of(new RunEntry("q", "p1", 0, 9, "t"), new RunEntry("q", "n1", 0, 3, "t"),
                new RunEntry("q", "n2", 0, 1, "t"), new RunEntry("q", "p2", 0, 7, "t"),
                new RunEntry("onlyneg", "n1", 0, 1, "t")));
        Qrels qrels = Qrels.of(List.of(new Judgment("q", "p1", 1), new Judgment("q", "p2", 2),
                new Judgment("q", "n2", 0)));
        Map<String, List<TeacherPair>> pairs = TeacherPairs.fromScores(teacher, qrels, 1);
        assertEquals(Set.of("q"), pairs.keySet());
        assertEquals(4, pairs.get("q").size());
        assertTrue(pairs.get("q").contains(new TeacherPair("p2", "n2", 7, 1)));
        assertEquals(6f, new TeacherPair("p2", "n2", 7, 1).margin());
    }

    @Test
    void tooFewClustersIsAClearError() {
        var error = assertThrows(IllegalArgumentException.class, () -> new TasBalancedSampler(List.of(List.of("a")),
                onePairEach(List.of("a")), 4, 2, 3, 1));
        assertTrue(error.getMessage().contains("1 clusters have queries with pairs; a batch needs 2"), error.getMessage());
    }
}
