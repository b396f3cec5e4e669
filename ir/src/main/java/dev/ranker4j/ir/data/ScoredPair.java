package dev.ranker4j.ir.data;

import java.util.Objects;

/** One line of the Reranker toolkit's score file: {@code qid\tpid\tscore}, the model's score for a pair. */
public record ScoredPair(String queryId, String passageId, double score) {
    public ScoredPair {
        Objects.requireNonNull(queryId, "queryId");
        Objects.requireNonNull(passageId, "passageId");
    }
}
