package dev.ranker4j.tokenizer;

/**
 * How a batch is padded on the right: to its longest encoding, or to a fixed length (which must be at least the
 * longest; combine with {@link Truncation} to guarantee that).
 *
 * @param toLongest pad to the longest encoding in the batch
 * @param length    the fixed length when not {@code toLongest}
 */
public record Padding(boolean toLongest, int length) {

    /** Pad to the longest encoding of the batch. */
    public static final Padding LONGEST = new Padding(true, 0);

    public Padding {
        if (!toLongest && length <= 0) throw new IllegalArgumentException("padding length must be > 0, got " + length);
    }

    /** Pad every row to {@code length} tokens. */
    public static Padding toLength(int length) {
        return new Padding(false, length);
    }

    int targetLength(int longest) {
        if (toLongest) return longest;
        if (longest > length) {
            throw new IllegalArgumentException("an encoding of " + longest + " tokens does not fit the padding length "
                    + length + "; truncate to at most " + length);
        }
        return length;
    }
}
