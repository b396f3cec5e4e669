package dev.ranker4j.ir.metrics;

import dev.ranker4j.ir.data.ScoredDoc;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Small rankings worked out by hand from the trec_eval definitions. */
class RankingMetricsTest {
    private static final double EPS = 1e-12;

    // Ranked (by score) d1 (grade 3), d2 (unjudged), d3 (grade 0), d4 (grade 2); qrels also judge d5 (grade 1).
    private static final Map<String, Integer> QRELS = Map.of("d1", 3, "d3", 0, "d4", 2, "d5", 1);
    private static final JudgedRanking RANKING = JudgedRanking.of(List.of(
            new ScoredDoc("d3", 2.0), new ScoredDoc("d1", 4.0), new ScoredDoc("d4", 1.0), new ScoredDoc("d2", 3.0)),
            QRELS);

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }

    @Test
    void rankingFollowsScoresNotInputOrder() {
        assertEquals(List.of(3, JudgedRanking.NOT_JUDGED, 0, 2),
                java.util.Arrays.stream(RANKING.gradesByRank()).boxed().toList());
    }

    @Test
    void ndcgUsesLinearGainAndTheIdealFromTheQrels() {
        double dcg = 3 / log2(2) + 2 / log2(5);
        double ideal = 3 / log2(2) + 2 / log2(3) + 1 / log2(4);
        assertEquals(dcg / ideal, RankingMetrics.ndcg(RANKING, 10), EPS);
        assertEquals(dcg / ideal, RankingMetrics.ndcg(RANKING, 0), EPS);
        assertEquals(3 / (3 + 2 / log2(3)), RankingMetrics.ndcg(RANKING, 2), EPS);
    }

    @Test
    void binaryMetricsUseTheThreshold() {
        // threshold 2: relevant = d1, d4 retrieved; R = 2 (d1, d4)
        assertEquals(1.0, RankingMetrics.reciprocalRank(RANKING, 2, 10), EPS);
        assertEquals(1.0, RankingMetrics.recall(RANKING, 2, 10), EPS);
        assertEquals(0.5, RankingMetrics.recall(RANKING, 2, 3), EPS);
        assertEquals(2.0 / 10, RankingMetrics.precision(RANKING, 2, 10), EPS);
        assertEquals((1.0 / 1 + 2.0 / 4) / 2, RankingMetrics.averagePrecision(RANKING, 2, 0), EPS);
        assertEquals((1.0 / 1) / 2, RankingMetrics.averagePrecision(RANKING, 2, 3), EPS);
        // threshold 3: only d1; threshold 4: nothing relevant at all
        assertEquals(1.0, RankingMetrics.averagePrecision(RANKING, 3, 0), EPS);
        assertEquals(0.0, RankingMetrics.averagePrecision(RANKING, 4, 0), EPS);
        assertEquals(0.0, RankingMetrics.recall(RANKING, 4, 10), EPS);
        // threshold 1: R = 3 (d5 was never retrieved)
        assertEquals(2.0 / 3, RankingMetrics.recall(RANKING, 1, 100), EPS);
    }

    @Test
    void mrrCutoffIgnoresRelevantDocumentsBelowIt() {
        JudgedRanking late = JudgedRanking.of(List.of(new ScoredDoc("a", 3), new ScoredDoc("b", 2),
                new ScoredDoc("c", 1)), Map.of("c", 2));
        assertEquals(1.0 / 3, RankingMetrics.reciprocalRank(late, 1, 0), EPS);
        assertEquals(0.0, RankingMetrics.reciprocalRank(late, 1, 2), EPS);
    }

    @Test
    void unjudgedDocumentsAreNeverRelevantEvenWithThresholdZero() {
        JudgedRanking ranking = JudgedRanking.of(List.of(new ScoredDoc("x", 1), new ScoredDoc("y", 0)),
                Map.of("y", 0));
        assertEquals(0.5, RankingMetrics.reciprocalRank(ranking, 0, 0), EPS);
        assertEquals(0.0, RankingMetrics.ndcg(ranking, 10), EPS);
    }

    @Test
    void tiesAreBrokenByDocidDescendingAsStrings() {
        // "9" > "10" > "1" as strings (strcmp), so at equal scores the order is 9, 10, 1.
        JudgedRanking ranking = JudgedRanking.of(List.of(new ScoredDoc("1", 1.0), new ScoredDoc("10", 1.0),
                new ScoredDoc("9", 1.0)), Map.of("1", 1));
        assertEquals(1.0 / 3, RankingMetrics.reciprocalRank(ranking, 1, 0), EPS);
    }

    @Test
    void precisionNeedsACutoff() {
        assertThrows(IllegalArgumentException.class, () -> RankingMetrics.precision(RANKING, 1, 0));
    }

    @Test
    void metricNamesParseAndPrint() {
        assertEquals(new Metric(Metric.Kind.NDCG, 10), Metric.parse("nDCG@10"));
        assertEquals("map", Metric.parse("MAP").name());
        assertEquals("ndcg_cut_10", Metric.parse("ndcg@10").trecEvalName());
        assertThrows(IllegalArgumentException.class, () -> Metric.parse("recall"));
        assertThrows(IllegalArgumentException.class, () -> Metric.parse("ndcg@0"));
        assertThrows(IllegalArgumentException.class, () -> Metric.parse("bleu@4"));
        assertThrows(IllegalArgumentException.class, () -> Metric.parse("p@x"));
    }
}
