package dev.ranker4j.api;

/**
 * An input has more tokens than the model reads, and the caller asked for no truncation
 * ({@link Reranker#checkLengths}, {@link Embedder#checkLengths}).
 */
public final class InputTooLongException extends IllegalArgumentException {
    private final int index;
    private final int tokens;
    private final int maxLength;

    /**
     * @param index     the offending input's position in the list; -1 for the query
     * @param tokens    its token count, special tokens included
     * @param maxLength the most tokens the model reads
     */
    public InputTooLongException(int index, int tokens, int maxLength) {
        super((index < 0 ? "the query" : "input " + index) + " has " + tokens + " tokens, more than the maximum of "
                + maxLength + " (truncate it, or let the model truncate it)");
        this.index = index;
        this.tokens = tokens;
        this.maxLength = maxLength;
    }

    /** The offending input's position in the list; -1 for the query. */
    public int index() {
        return index;
    }

    public int tokens() {
        return tokens;
    }

    public int maxLength() {
        return maxLength;
    }
}
