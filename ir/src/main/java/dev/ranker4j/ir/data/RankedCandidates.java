package dev.ranker4j.ir.data;

import java.util.List;
import java.util.Objects;

/**
 * One query of a rank_llm candidates file: the query and its retrieved hits with passage text, e.g. the BM25 top-100
 * of TREC DL 2019 in {@code retrieve_results_dl19.json}.
 */
public record RankedCandidates(Query query, List<Hit> hits) {
    public RankedCandidates {
        Objects.requireNonNull(query, "query");
        hits = List.copyOf(hits);
    }

    /** A retrieved passage: {@code {"content", "qid", "docid", "rank", "score"}}. */
    public record Hit(String docId, String content, int rank, double score) {
        public Hit {
            Objects.requireNonNull(docId, "docId");
            Objects.requireNonNull(content, "content");
        }
    }
}
