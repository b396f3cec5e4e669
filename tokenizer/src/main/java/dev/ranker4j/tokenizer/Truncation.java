package dev.ranker4j.tokenizer;

/**
 * A truncation request: at most {@code maxLength} tokens in the final encoding, special tokens included.
 *
 * <p>The budget for the text tokens is {@code maxLength} minus the template's special tokens (2 for a single text,
 * 3 for a pair with BERT). With lengths n1, n2 and budget m, {@code longest_first} follows HF's
 * {@code truncate_encodings} (utils/truncation.rs), which is a closed form rather than HF-transformers' Python
 * one-token-at-a-time loop: with s = the shorter and l = the longer length,
 * <pre>
 *   nothing to do          if s + l &lt;= m
 *   keep s, l := m - s     if s &lt;= m - s            (only the longer one is cut)
 *   s := m / 2, l := m - m / 2   otherwise         (both cut; the longer keeps the odd token)
 * </pre>
 * On a tie (n1 == n2) the first sequence counts as the shorter, so the second keeps the odd token.
 *
 * <p>Which one is "longer" is decided on the lengths HF has at that point, not the full ones: since tokenizers
 * 0.23 ({@code tokenize_with_limit}) a text is tokenized only until it holds {@code maxLength} tokens, stopping at
 * the end of the word that reaches that count (the first text of an {@code only_second} pair is not cut). So when
 * both texts have at least {@code maxLength} tokens, both arrive cut near {@code maxLength}, and the one whose
 * word boundary falls later counts as longer, whatever their full lengths; on equal cut lengths the second keeps
 * the odd token. A sequence shorter than {@code maxLength} is unaffected, and so is every strategy's result
 * except this choice. {@link WordPieceTokenizer} applies the cut before calling {@link #keptLengths}.
 * {@code only_first}/{@code only_second} remove the whole excess from one sequence and fail with HF's message
 * when that sequence has no more tokens than the excess.
 *
 * @param maxLength maximum total length including special tokens
 * @param strategy  which sequence to cut
 */
public record Truncation(int maxLength, TruncationStrategy strategy) {

    /** No truncation. */
    public static final Truncation NONE = new Truncation(Integer.MAX_VALUE, TruncationStrategy.LONGEST_FIRST);

    public Truncation {
        if (maxLength < 0) throw new IllegalArgumentException("max_length must be >= 0, got " + maxLength);
        if (strategy == null) throw new IllegalArgumentException("truncation strategy is null");
    }

    /** Truncation to {@code maxLength} with {@code longest_first}. */
    public static Truncation longestFirst(int maxLength) {
        return new Truncation(maxLength, TruncationStrategy.LONGEST_FIRST);
    }

    /** Truncation to {@code maxLength} with {@code only_second}. */
    public static Truncation onlySecond(int maxLength) {
        return new Truncation(maxLength, TruncationStrategy.ONLY_SECOND);
    }

    public boolean isNone() {
        return maxLength == Integer.MAX_VALUE;
    }

    /**
     * The lengths the sequences keep: {@code {n1', n2'}} for a budget of {@code budget} text tokens.
     *
     * @param first  length of the first sequence
     * @param second length of the second, or -1 for a single text
     * @param budget text tokens allowed (max length minus special tokens)
     * @throws TruncationException when HF refuses (only_first / only_second cases)
     */
    int[] keptLengths(int first, int second, int budget) {
        boolean pair = second >= 0;
        int total = first + Math.max(second, 0);
        if (budget == 0) return new int[] {0, pair ? 0 : -1};
        if (total <= budget) return new int[] {first, second};
        int excess = total - budget;
        return switch (strategy) {
            case LONGEST_FIRST -> {
                if (!pair) yield new int[] {budget, -1};
                boolean swapped = first > second;
                int shorter = Math.min(first, second);
                int longer;
                if (shorter > budget) {
                    longer = shorter;
                } else {
                    longer = Math.max(shorter, budget - shorter);
                }
                if (shorter + longer > budget) {
                    shorter = budget / 2;
                    longer = shorter + budget % 2;
                }
                yield swapped ? new int[] {longer, shorter} : new int[] {shorter, longer};
            }
            case ONLY_FIRST -> {
                if (first <= excess) throw new TruncationException(TruncationException.SEQUENCE_TOO_SHORT);
                yield new int[] {first - excess, second};
            }
            case ONLY_SECOND -> {
                if (!pair) throw new TruncationException(TruncationException.SECOND_SEQUENCE_NOT_PROVIDED);
                if (second <= excess) throw new TruncationException(TruncationException.SEQUENCE_TOO_SHORT);
                yield new int[] {first, second - excess};
            }
        };
    }
}
