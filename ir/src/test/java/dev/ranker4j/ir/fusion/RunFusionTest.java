package dev.ranker4j.ir.fusion;

import dev.ranker4j.ir.data.Judgment;
import dev.ranker4j.ir.data.Qrels;
import dev.ranker4j.ir.data.Run;
import dev.ranker4j.ir.metrics.Evaluator;
import dev.ranker4j.ir.metrics.Metric;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RunFusionTest {
    private static Run run(Object... queryDocScore) {
        Run.Builder b = new Run.Builder();
        for (int i = 0; i < queryDocScore.length; i += 3) {
            b.add((String) queryDocScore[i], (String) queryDocScore[i + 1], ((Number) queryDocScore[i + 2]).doubleValue());
        }
        return b.build();
    }

    @Test
    void interpolatesMinMaxNormalisedScoresAndCountsAMissingDocumentAsZero() {
        Run a = run("q", "d1", 10.0, "q", "d2", 0.0, "q", "d3", 5.0);      // normalised 1, 0, 0.5
        Run b = run("q", "d1", 0.2, "q", "d2", 0.4, "q", "d4", 0.3);       // normalised 0, 1, 0.5
        Run fused = RunFusion.interpolate(a, b, 0.25);
        var ranking = fused.ranking("q");
        assertEquals(4, ranking.size());
        java.util.Map<String, Double> scores = new java.util.HashMap<>();
        ranking.forEach(d -> scores.put(d.docId(), d.score()));
        assertEquals(0.25 * 1 + 0.75 * 0, scores.get("d1"), 1e-12);
        assertEquals(0.25 * 0 + 0.75 * 1, scores.get("d2"), 1e-12);
        assertEquals(0.25 * 0.5 + 0.75 * 0, scores.get("d3"), 1e-12);
        assertEquals(0.25 * 0 + 0.75 * 0.5, scores.get("d4"), 1e-12);
        assertEquals("d2", ranking.getFirst().docId());
    }

    @Test
    void theEndsOfTheGridAreTheTwoRunsThemselves() {
        Run a = run("q", "d1", 3.0, "q", "d2", 2.0, "q", "d3", 1.0);
        Run b = run("q", "d1", 1.0, "q", "d2", 2.0, "q", "d3", 3.0);
        assertEquals(List.of("d1", "d2", "d3"), RunFusion.interpolate(a, b, 1).ranking("q").stream().map(d -> d.docId()).toList());
        assertEquals(List.of("d3", "d2", "d1"), RunFusion.interpolate(a, b, 0).ranking("q").stream().map(d -> d.docId()).toList());
        assertThrows(IllegalArgumentException.class, () -> RunFusion.interpolate(a, b, 1.5));
    }

    @Test
    void tuningPicksTheWeightThatRanksTheRelevantDocumentFirst() {
        // Only a mix ranks d2 first: a prefers d1, b prefers d3, both put d2 second.
        Run a = run("q", "d1", 1.0, "q", "d2", 0.9, "q", "d3", 0.0);
        Run b = run("q", "d1", 0.0, "q", "d2", 0.9, "q", "d3", 1.0);
        Evaluator evaluator = new Evaluator(Qrels.of(List.of(new Judgment("q", "d2", 1))), List.of(Metric.parse("mrr@10")), 1, true);
        RunFusion.Tuned tuned = RunFusion.tune(a, b, RunFusion.grid(10), evaluator, Metric.parse("mrr@10"));
        assertEquals(1.0, tuned.value(), 1e-12);
        assertEquals(0.2, tuned.alpha(), 1e-12, "the first (smallest) weight of the best ones: 0.2 ... 0.8 all rank d2 first");
        assertEquals(11, RunFusion.grid(10).size());
    }
}
