package dev.ranker4j.ir.data;

import java.util.Objects;

/** A query (topic): BEIR's {@code queries.jsonl} line {@code {"_id", "text"}} or an MS MARCO {@code qid\tquery} line. */
public record Query(String id, String text) {
    public Query {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(text, "text");
    }
}
