package dev.ranker4j.ir.data;

import java.util.Objects;

/** A document and its retrieval score within one query's ranking. */
public record ScoredDoc(String docId, double score) {
    public ScoredDoc {
        Objects.requireNonNull(docId, "docId");
    }
}
