package dev.ranker4j.ir.data;

import java.util.Objects;

/**
 * One line of an MS MARCO top-k file ({@code top1000.dev.tsv}): {@code qid\tpid\tquery\tpassage}, a candidate passage
 * with both texts, ready for a re-ranker.
 */
public record TopKCandidate(String queryId, String passageId, String query, String passage) {
    public TopKCandidate {
        Objects.requireNonNull(queryId, "queryId");
        Objects.requireNonNull(passageId, "passageId");
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(passage, "passage");
    }
}
