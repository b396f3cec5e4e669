package dev.ranker4j.tokenizer;

import java.util.Arrays;

/**
 * One encoded text or text pair, special tokens included: what HF's {@code Encoding} holds minus offsets.
 *
 * @param ids           token ids
 * @param typeIds       segment of each token (0 = first text, 1 = second)
 * @param tokens        token strings ({@code ##}-prefixed for word continuations)
 * @param attentionMask 1 for real tokens, 0 for padding
 */
public record Encoding(int[] ids, int[] typeIds, String[] tokens, int[] attentionMask) {

    public Encoding {
        if (typeIds.length != ids.length || tokens.length != ids.length || attentionMask.length != ids.length) {
            throw new IllegalArgumentException("encoding arrays differ in length: ids " + ids.length + ", typeIds "
                    + typeIds.length + ", tokens " + tokens.length + ", attentionMask " + attentionMask.length);
        }
    }

    public int length() {
        return ids.length;
    }

    /** This encoding padded on the right to {@code length} with {@code padId}/{@code padToken}, type 0, mask 0. */
    public Encoding padded(int length, int padId, String padToken) {
        if (length < ids.length) {
            throw new IllegalArgumentException("cannot pad an encoding of " + ids.length + " tokens to " + length);
        }
        int[] paddedIds = Arrays.copyOf(ids, length);
        Arrays.fill(paddedIds, ids.length, length, padId);
        String[] paddedTokens = Arrays.copyOf(tokens, length);
        Arrays.fill(paddedTokens, tokens.length, length, padToken);
        return new Encoding(paddedIds, Arrays.copyOf(typeIds, length), paddedTokens,
                Arrays.copyOf(attentionMask, length));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Encoding e && Arrays.equals(ids, e.ids) && Arrays.equals(typeIds, e.typeIds)
                && Arrays.equals(tokens, e.tokens) && Arrays.equals(attentionMask, e.attentionMask);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(ids) * 31 + Arrays.hashCode(typeIds);
    }

    @Override
    public String toString() {
        return "Encoding[tokens=" + Arrays.toString(tokens) + ", ids=" + Arrays.toString(ids) + ", typeIds="
                + Arrays.toString(typeIds) + ", attentionMask=" + Arrays.toString(attentionMask) + "]";
    }
}
