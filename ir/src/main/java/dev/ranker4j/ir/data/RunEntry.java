package dev.ranker4j.ir.data;

import java.util.Objects;

/**
 * One line of a TREC run: {@code qid Q0 docid rank score tag}. Evaluation ignores {@code rank} and orders by
 * {@code score}, exactly as trec_eval does; the rank is kept so a run can be written back unchanged.
 */
public record RunEntry(String queryId, String docId, int rank, double score, String tag) {
    public RunEntry {
        Objects.requireNonNull(queryId, "queryId");
        Objects.requireNonNull(docId, "docId");
        Objects.requireNonNull(tag, "tag");
    }
}
