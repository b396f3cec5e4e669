package dev.ranker4j.ir.retrieval;

/** How a query vector {@code q} and a document vector {@code d} are compared. */
public enum Similarity {
    /** Inner product {@code q·d}. */
    DOT,
    /** Cosine {@code q·d / (|q| |d|)}; a zero vector scores 0 against everything. */
    COSINE
}
