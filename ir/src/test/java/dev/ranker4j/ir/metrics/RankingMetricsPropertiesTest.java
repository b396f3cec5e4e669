package dev.ranker4j.ir.metrics;

import dev.ranker4j.ir.data.ScoredDoc;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Properties of the metrics on random rankings with many ties and partial judgments. */
class RankingMetricsPropertiesTest {
    private static final double EPS = 1e-12;

    /** A query: retrieved documents with scores from a small set (so ties are common) and its judgments. */
    record Case(List<ScoredDoc> docs, Map<String, Integer> qrels) {}

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<List<Integer>> docIndexes = Arbitraries.integers().between(0, 40).list().uniqueElements().ofMaxSize(25);
        Arbitrary<List<Integer>> scores = Arbitraries.integers().between(0, 4).list().ofSize(25);
        Arbitrary<Map<String, Integer>> qrels = Arbitraries.maps(
                Arbitraries.integers().between(0, 40).map(i -> "d" + i),
                Arbitraries.integers().between(-1, 3)).ofMaxSize(20);
        return Combinators.combine(docIndexes, scores, qrels).as((indexes, scoreList, judged) -> {
            List<ScoredDoc> docs = new ArrayList<>();
            for (int i = 0; i < indexes.size(); i++) docs.add(new ScoredDoc("d" + indexes.get(i), scoreList.get(i)));
            return new Case(docs, judged);
        });
    }

    @Property(tries = 200)
    void everyMetricIsInTheUnitInterval(@ForAll("cases") Case c, @ForAll @IntRange(min = 0, max = 3) int threshold,
                                        @ForAll @IntRange(min = 1, max = 30) int k) {
        JudgedRanking ranking = JudgedRanking.of(c.docs(), c.qrels());
        for (double value : new double[] {RankingMetrics.ndcg(ranking, k), RankingMetrics.ndcg(ranking, 0),
                RankingMetrics.reciprocalRank(ranking, threshold, k), RankingMetrics.recall(ranking, threshold, k),
                RankingMetrics.precision(ranking, threshold, k), RankingMetrics.averagePrecision(ranking, threshold, 0),
                RankingMetrics.averagePrecision(ranking, threshold, k)}) {
            assertTrue(value >= 0 && value <= 1 + EPS, () -> "out of [0,1]: " + value + " for " + c);
        }
    }

    @Property(tries = 200)
    void agreesWithThePlainTwin(@ForAll("cases") Case c, @ForAll @IntRange(min = 0, max = 3) int threshold,
                                @ForAll @IntRange(min = 1, max = 30) int k) {
        JudgedRanking ranking = JudgedRanking.of(c.docs(), c.qrels());
        var docs = c.docs();
        var qrels = c.qrels();
        assertEquals(ReferenceMetrics.ndcg(docs, qrels, k), RankingMetrics.ndcg(ranking, k), EPS);
        assertEquals(ReferenceMetrics.ndcg(docs, qrels, 0), RankingMetrics.ndcg(ranking, 0), EPS);
        assertEquals(ReferenceMetrics.reciprocalRank(docs, qrels, threshold, k),
                RankingMetrics.reciprocalRank(ranking, threshold, k), EPS);
        assertEquals(ReferenceMetrics.recall(docs, qrels, threshold, k), RankingMetrics.recall(ranking, threshold, k),
                EPS);
        assertEquals(ReferenceMetrics.precision(docs, qrels, threshold, k),
                RankingMetrics.precision(ranking, threshold, k), EPS);
        assertEquals(ReferenceMetrics.averagePrecision(docs, qrels, threshold, 0),
                RankingMetrics.averagePrecision(ranking, threshold, 0), EPS);
        assertEquals(ReferenceMetrics.averagePrecision(docs, qrels, threshold, k),
                RankingMetrics.averagePrecision(ranking, threshold, k), EPS);
    }

    @Property(tries = 100)
    void permutingTheInputDoesNotChangeTheRankingTiesGoToTheLargerDocid(@ForAll("cases") Case c,
                                                                          @ForAll long seed) {
        List<ScoredDoc> shuffled = new ArrayList<>(c.docs());
        Collections.shuffle(shuffled, new Random(seed));
        JudgedRanking original = JudgedRanking.of(c.docs(), c.qrels());
        assertEquals(original, JudgedRanking.of(shuffled, c.qrels()));
        // With every score equal, rank order is docid descending (as strings).
        List<ScoredDoc> tied = c.docs().stream().map(d -> new ScoredDoc(d.docId(), 1.0)).toList();
        List<Integer> expected = tied.stream().map(ScoredDoc::docId).sorted(Collections.reverseOrder())
                .map(id -> c.qrels().getOrDefault(id, -1)).map(g -> g < 0 ? -1 : g).toList();
        assertEquals(expected, java.util.Arrays.stream(JudgedRanking.of(tied, c.qrels()).gradesByRank()).boxed()
                .toList());
    }

    @Property(tries = 100)
    void theIdealRankingScoresOne(@ForAll("cases") Case c, @ForAll @IntRange(min = 1, max = 30) int k,
                                  @ForAll @IntRange(min = 1, max = 3) int threshold) {
        // Retrieve exactly the judged documents, scored by their grade: the ideal ranking.
        List<ScoredDoc> ideal = new ArrayList<>();
        c.qrels().forEach((doc, grade) -> ideal.add(new ScoredDoc(doc, grade)));
        JudgedRanking ranking = JudgedRanking.of(ideal, c.qrels());
        boolean anyGain = c.qrels().values().stream().anyMatch(g -> g > 0);
        assertEquals(anyGain ? 1.0 : 0.0, RankingMetrics.ndcg(ranking, k), 1e-12);
        boolean anyRelevant = ranking.numRelevant(threshold) > 0;
        assertEquals(anyRelevant ? 1.0 : 0.0, RankingMetrics.averagePrecision(ranking, threshold, 0), 1e-12);
        assertEquals(anyRelevant ? 1.0 : 0.0, RankingMetrics.reciprocalRank(ranking, threshold, 0), 1e-12);
        assertEquals(anyRelevant ? 1.0 : 0.0, RankingMetrics.recall(ranking, threshold, ideal.size()), 1e-12);
    }

    @Property(tries = 100)
    void movingARelevantDocumentUpNeverLowersNdcg(@ForAll("cases") Case c, @ForAll @IntRange(min = 1, max = 30) int k) {
        // Swap the first adjacent pair (worse grade above better grade) by swapping their scores' positions.
        List<ScoredDoc> ranked = new ArrayList<>(c.docs());
        ranked.sort(dev.ranker4j.ir.data.TrecEvalOrder.RANKING);
        Map<String, Integer> qrels = new LinkedHashMap<>(c.qrels());
        for (int i = 0; i + 1 < ranked.size(); i++) {
            int upper = Math.max(0, qrels.getOrDefault(ranked.get(i).docId(), 0));
            int lower = Math.max(0, qrels.getOrDefault(ranked.get(i + 1).docId(), 0));
            if (lower > upper) {
                List<ScoredDoc> improved = new ArrayList<>();
                for (int r = 0; r < ranked.size(); r++) {
                    int source = r == i ? i + 1 : r == i + 1 ? i : r;
                    improved.add(new ScoredDoc(ranked.get(source).docId(), ranked.size() - r));
                }
                List<ScoredDoc> before = new ArrayList<>();
                for (int r = 0; r < ranked.size(); r++) before.add(new ScoredDoc(ranked.get(r).docId(), ranked.size() - r));
                assertTrue(RankingMetrics.ndcg(JudgedRanking.of(improved, qrels), k) + EPS
                        >= RankingMetrics.ndcg(JudgedRanking.of(before, qrels), k));
                return;
            }
        }
    }
}
