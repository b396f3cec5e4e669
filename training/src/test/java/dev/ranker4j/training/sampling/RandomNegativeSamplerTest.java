package dev.ranker4j.training.sampling;

import dev.ranker4j.ir.data.Judgment;
import dev.ranker4j.ir.data.Qrels;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RandomNegativeSamplerTest {
    @Test
    void drawsDistinctCorpusPassagesThatAreNeverJudgedRelevant() {
        List<String> corpus = new ArrayList<>();
        for (int i = 0; i < 500; i++) corpus.add("d" + i);
        Qrels qrels = Qrels.of(List.of(new Judgment("q1", "d1", 1), new Judgment("q1", "d2", 2), new Judgment("q2", "d3", 0),
                new Judgment("q3", "d4", 1)));
        List<LocalizedNegatives> samples = new RandomNegativeSampler(99, 1, 5).sample(corpus, qrels);
        assertEquals(List.of("q1", "q3"), samples.stream().map(LocalizedNegatives::queryId).toList(), "q2 has no positive");
        LocalizedNegatives q1 = samples.getFirst();
        assertEquals(List.of("d1", "d2"), q1.positiveIds());
        assertEquals(99, q1.negativeIds().size());
        assertEquals(99, new HashSet<>(q1.negativeIds()).size());
        assertFalse(q1.negativeIds().contains("d1") || q1.negativeIds().contains("d2"));
        assertTrue(corpus.containsAll(q1.negativeIds()));
        // Per-query seeding: the same query draws the same negatives whatever else is sampled; other seeds differ.
        assertEquals(q1, new RandomNegativeSampler(99, 1, 5).sample(corpus, Qrels.of(List.of(new Judgment("q1", "d1", 1),
                new Judgment("q1", "d2", 2)))).getFirst());
        assertNotEquals(q1.negativeIds(), new RandomNegativeSampler(99, 1, 6).sample(corpus, qrels).getFirst().negativeIds());
    }

    @Test
    void aSmallCorpusGivesEveryNonRelevantPassageOnce() {
        List<String> corpus = List.of("a", "b", "c", "d");
        Qrels qrels = Qrels.of(List.of(new Judgment("q", "a", 1)));
        LocalizedNegatives sample = new RandomNegativeSampler(10, 1, 1).sample(corpus, qrels).getFirst();
        assertEquals(new HashSet<>(List.of("b", "c", "d")), new HashSet<>(sample.negativeIds()));
    }
}
