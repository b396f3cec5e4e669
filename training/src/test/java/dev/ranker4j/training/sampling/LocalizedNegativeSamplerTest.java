package dev.ranker4j.training.sampling;

import dev.ranker4j.ir.data.Judgment;
import dev.ranker4j.ir.data.Qrels;
import dev.ranker4j.ir.data.Run;
import dev.ranker4j.ir.data.RunEntry;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** LCE's localized negatives. */
class LocalizedNegativeSamplerTest {
    /** Query q has 30 retrieved docs d0..d29 (d0 ranked first); d2 and d5 are relevant, d7 judged non-relevant. */
    private static final Run RUN = run(30);
    private static final Qrels QRELS = Qrels.of(List.of(new Judgment("q", "d2", 1), new Judgment("q", "d5", 2),
            new Judgment("q", "d7", 0), new Judgment("unretrieved", "d1", 1), new Judgment("nopos", "d1", 0)));

    private static Run run(int depth) {
        List<RunEntry> entries = new ArrayList<>();
        for (int i = 0; i < depth; i++) {
            entries.add(new RunEntry("q", "d" + i, i + 1, 100 - i, "bm25"));
            entries.add(new RunEntry("nopos", "d" + i, i + 1, 100 - i, "bm25"));
        }
        return Run.of(entries);
    }

    @Property(tries = 50)
    void negativesComeFromTheTopMAndAreNeverRelevant(@ForAll @IntRange(min = 1, max = 12) int n,
                                                     @ForAll @IntRange(min = 1, max = 40) int m,
                                                     @ForAll @LongRange long seed) {
        List<LocalizedNegatives> samples = new LocalizedNegativeSampler(n, m, 1, seed).sample(RUN, QRELS);
        assertEquals(1, samples.size(), "only q has a positive and a run");
        LocalizedNegatives sample = samples.getFirst();
        assertEquals(List.of("d2", "d5"), sample.positiveIds());
        int candidates = Math.min(m, 30) - (m > 2 ? 1 : 0) - (m > 5 ? 1 : 0);
        assertEquals(Math.min(n, candidates), sample.negativeIds().size());
        assertEquals(sample.negativeIds().size(), new HashSet<>(sample.negativeIds()).size(), "no repeats");
        int previousRank = -1;
        for (String negative : sample.negativeIds()) {
            int rank = Integer.parseInt(negative.substring(1));
            assertTrue(rank < m && rank != 2 && rank != 5, negative);
            assertTrue(rank > previousRank, "kept in rank order");
            previousRank = rank;
        }
    }

    @Test
    void eachCandidateIsEquallyLikelyAndTheSeedReproduces() {
        Map<String, Integer> counts = new HashMap<>();
        int rounds = 3000;
        for (int seed = 0; seed < rounds; seed++) {
            for (String negative : new LocalizedNegativeSampler(4, 10, 1, seed).sample(RUN, QRELS).getFirst()
                    .negativeIds()) {
                counts.merge(negative, 1, Integer::sum);
            }
        }
        // 8 candidates (top 10 minus d2, d5), 4 drawn: each is drawn with probability 1/2.
        assertEquals(8, counts.size());
        counts.values().forEach(count -> assertEquals(0.5, count / (double) rounds, 0.04, counts.toString()));
        assertTrue(counts.containsKey("d7"), "judged non-relevant documents are negatives");

        var sampler = new LocalizedNegativeSampler(4, 20, 1, 42);
        assertEquals(sampler.sample(RUN, QRELS), new LocalizedNegativeSampler(4, 20, 1, 42).sample(RUN, QRELS));
        assertNotEquals(sampler.sample(RUN, QRELS), new LocalizedNegativeSampler(4, 20, 1, 43).sample(RUN, QRELS));
    }

    @Test
    void aHigherThresholdMakesLowGradesNegatives() {
        LocalizedNegatives sample = new LocalizedNegativeSampler(30, 30, 2, 1).sample(RUN, QRELS).getFirst();
        assertEquals(List.of("d5"), sample.positiveIds());
        assertTrue(sample.negativeIds().contains("d2"));
        assertEquals(29, sample.negativeIds().size());
    }

    @Test
    void groupedExamplesCarryTheTokens() {
        LocalizedNegatives sample = new LocalizedNegatives("q", List.of("d2"), List.of("d3", "d9"));
        var grouped = sample.toGrouped(q -> new int[] {1, q.length()}, p -> new int[] {p.charAt(1) - '0'});
        assertEquals("q", grouped.queryId());
        assertEquals(2, grouped.queryTokenIds()[0] + grouped.queryTokenIds()[1]);
        assertEquals(List.of("d3", "d9"), grouped.negatives().stream().map(t -> t.passageId()).toList());
        assertEquals(9, grouped.negatives().get(1).tokenIds()[0]);
    }
}
