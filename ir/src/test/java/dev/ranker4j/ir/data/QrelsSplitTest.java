package dev.ranker4j.ir.data;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QrelsSplitTest {
    private static Qrels qrels(int queries) {
        List<Judgment> judgments = new ArrayList<>();
        for (int q = 0; q < queries; q++) {
            judgments.add(new Judgment("q" + q, "d" + q, 1));
            if (q % 3 == 0) judgments.add(new Judgment("q" + q, "e" + q, 2));
        }
        return Qrels.of(judgments);
    }

    @Test
    void splitsQueriesDisjointlyKeepingEveryJudgmentWithItsQuery() {
        Qrels all = qrels(809);
        QrelsSplit split = QrelsSplit.of(all, 0.1, 1);
        assertEquals(81, split.heldOut().size());
        assertEquals(728, split.kept().size());
        Set<String> overlap = new HashSet<>(split.kept().queryIds());
        overlap.retainAll(split.heldOut().queryIds());
        assertTrue(overlap.isEmpty());
        assertEquals(all.judgments().size(), split.kept().judgments().size() + split.heldOut().judgments().size());
        for (String q : split.heldOut().queryIds()) assertEquals(all.judgments(q), split.heldOut().judgments(q));
    }

    @Test
    void dependsOnTheSeedAndTheQuerySetOnlyNotTheirOrder() {
        Qrels all = qrels(100);
        List<Judgment> reversed = new ArrayList<>(all.judgments());
        java.util.Collections.reverse(reversed);
        assertEquals(QrelsSplit.of(all, 0.2, 7).heldOut().queryIds(), Set.copyOf(QrelsSplit.of(Qrels.of(reversed), 0.2, 7).heldOut().queryIds()));
        assertTrue(!QrelsSplit.of(all, 0.2, 7).heldOut().queryIds().equals(QrelsSplit.of(all, 0.2, 8).heldOut().queryIds()));
        assertThrows(IllegalArgumentException.class, () -> QrelsSplit.of(all, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> QrelsSplit.of(qrels(3), 0.01, 1));
    }
}
