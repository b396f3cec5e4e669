package dev.ranker4j.index;

import dev.ranker4j.ir.data.Run;
import dev.ranker4j.ir.data.ScoredDoc;

import java.util.List;

/** Hits to the project's {@link Run}: the one place this module makes runs. */
final class Runs {
    private Runs() {}

    /** The run of {@code hits.get(i)} for query {@code queryIds.get(i)}; a query without hits has no entry. */
    static Run of(List<String> queryIds, List<List<ScoredDoc>> hits) {
        Run.Builder run = new Run.Builder();
        for (int q = 0; q < queryIds.size(); q++) {
            for (ScoredDoc hit : hits.get(q)) {
                if (!run.add(queryIds.get(q), hit.docId(), hit.score())) {
                    throw new IllegalStateException("document " + hit.docId() + " retrieved twice for query "
                            + queryIds.get(q));
                }
            }
        }
        return run.build();
    }
}
