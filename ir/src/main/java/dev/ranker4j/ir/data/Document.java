package dev.ranker4j.ir.data;

import java.util.Objects;

/**
 * A corpus document: BEIR's {@code corpus.jsonl} line {@code {"_id", "title", "text"}}, or an MS MARCO passage (whose
 * title is empty).
 */
public record Document(String id, String title, String text) {
    public Document {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(text, "text");
    }

    /** The text a dense encoder usually sees: {@code title + " " + text}, or just the text when there is no title. */
    public String titleAndText() {
        return title.isEmpty() ? text : title + " " + text;
    }
}
