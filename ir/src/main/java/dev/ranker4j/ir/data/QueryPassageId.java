package dev.ranker4j.ir.data;

import java.util.Objects;

/** One line of the Reranker toolkit's id file ({@code qid\tpid}), parallel to the inference JSON lines. */
public record QueryPassageId(String queryId, String passageId) {
    public QueryPassageId {
        Objects.requireNonNull(queryId, "queryId");
        Objects.requireNonNull(passageId, "passageId");
    }
}
