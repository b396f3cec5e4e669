package dev.ranker4j.tokenizer;

/**
 * A token matched literally in the input before the model sees it (tokenizer.json's {@code added_tokens}), such as
 * {@code [CLS]} or {@code [MASK]}: "a [MASK] b" yields the id of [MASK] rather than the pieces of "[", "mask", "]".
 *
 * @param id         its id
 * @param content    the literal text matched
 * @param singleWord match only when neither neighbour is a word character
 * @param lstrip     the match also swallows whitespace on its left
 * @param rstrip     the match also swallows whitespace on its right
 * @param normalized match against the normalized text (content normalized too) instead of the raw input
 * @param special    a special token: {@code decode(..., skipSpecialTokens = true)} drops it
 */
public record AddedToken(int id, String content, boolean singleWord, boolean lstrip, boolean rstrip,
                         boolean normalized, boolean special) {

    public AddedToken {
        if (content == null || content.isEmpty()) {
            throw new IllegalArgumentException("added token " + id + " has empty content");
        }
    }

    /** A special token as BERT's tokenizer_config.json declares them: matched on the raw text, no stripping. */
    public static AddedToken special(int id, String content) {
        return new AddedToken(id, content, false, false, false, false, true);
    }
}
