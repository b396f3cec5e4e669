package dev.ranker4j.ir.retrieval;

/** A retrieved document: its index in the searched {@link DenseVectors} and its similarity to the query. */
public record Hit(int doc, float score) {}
