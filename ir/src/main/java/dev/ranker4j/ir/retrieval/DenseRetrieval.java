package dev.ranker4j.ir.retrieval;

import dev.ranker4j.ir.data.Run;

import java.util.List;

/** Turns search hits into a {@link Run}: the bridge from vectors to the TREC run files evaluation reads. */
public final class DenseRetrieval {
    private DenseRetrieval() {}

    /** The run of {@code hits} (from {@link ExactSearch} over {@code docs}) for {@code queries}. */
    public static Run toRun(DenseVectors queries, DenseVectors docs, List<List<Hit>> hits) {
        if (hits.size() != queries.size()) {
            throw new IllegalArgumentException(hits.size() + " hit lists for " + queries.size() + " queries");
        }
        Run.Builder run = new Run.Builder();
        for (int q = 0; q < hits.size(); q++) {
            for (Hit hit : hits.get(q)) run.add(queries.ids().get(q), docs.ids().get(hit.doc()), hit.score());
        }
        return run.build();
    }
}
