package dev.ranker4j.ir.data;

import java.util.Objects;

/** An MS MARCO training triple {@code query\tpositive passage\tnegative passage} (texts, no ids). */
public record Triple(String query, String positive, String negative) {
    public Triple {
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(positive, "positive");
        Objects.requireNonNull(negative, "negative");
    }
}
