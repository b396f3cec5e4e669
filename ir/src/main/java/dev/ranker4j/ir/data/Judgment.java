package dev.ranker4j.ir.data;

import java.util.Objects;

/**
 * One relevance judgment: document {@code docId} has relevance {@code grade} for query {@code queryId}. Grades are
 * integers as in trec_eval (TREC DL uses 0–3, BEIR mostly 0/1); a negative grade means "in the pool but not judged".
 */
public record Judgment(String queryId, String docId, int grade) {
    public Judgment {
        Objects.requireNonNull(queryId, "queryId");
        Objects.requireNonNull(docId, "docId");
    }
}
