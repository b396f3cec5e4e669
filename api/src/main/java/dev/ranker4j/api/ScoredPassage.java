package dev.ranker4j.api;

/**
 * One passage of a {@link Reranker#rank} result.
 *
 * @param index the passage's position in the list that was ranked
 * @param score the model's score (a cross-encoder's logit, or a dual encoder's cosine similarity)
 */
public record ScoredPassage(int index, float score) {}
