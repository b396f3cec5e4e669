package dev.ranker4j.tokenizer;

import java.util.Arrays;

/**
 * A padded batch as flat row-major arrays of shape [batchSize][sequenceLength], ready to become tensors.
 * Padding positions hold the pad id, type 0 and attention mask 0.
 *
 * @param batchSize      rows
 * @param sequenceLength columns
 * @param ids            token ids, {@code ids[b * sequenceLength + t]}
 * @param attentionMask  1 for real tokens, 0 for padding
 * @param typeIds        token type ids
 */
public record BatchEncoding(int batchSize, int sequenceLength, int[] ids, int[] attentionMask, int[] typeIds) {

    public BatchEncoding {
        int size = Math.multiplyExact(batchSize, sequenceLength);
        if (ids.length != size || attentionMask.length != size || typeIds.length != size) {
            throw new IllegalArgumentException("batch arrays must hold " + batchSize + " x " + sequenceLength
                    + " values; got ids " + ids.length + ", mask " + attentionMask.length + ", types " + typeIds.length);
        }
    }

    /** {@code [batchSize, sequenceLength]}. */
    public int[] shape() {
        return new int[] {batchSize, sequenceLength};
    }

    /** Row {@code b} of {@code flat} (one of this record's arrays) as a fresh array. */
    public int[] row(int[] flat, int b) {
        return Arrays.copyOfRange(flat, b * sequenceLength, (b + 1) * sequenceLength);
    }

    /** The ids as {@code [batch][seq]}. */
    public int[][] ids2d() {
        return to2d(ids);
    }

    /** The attention mask as {@code [batch][seq]}. */
    public int[][] attentionMask2d() {
        return to2d(attentionMask);
    }

    /** The type ids as {@code [batch][seq]}. */
    public int[][] typeIds2d() {
        return to2d(typeIds);
    }

    /** A flat array widened to {@code long} (what ONNX-exported BERTs take as input). */
    public static long[] toLongs(int[] flat) {
        long[] out = new long[flat.length];
        for (int i = 0; i < flat.length; i++) out[i] = flat[i];
        return out;
    }

    /** Number of real (non-padding) tokens in row {@code b}. */
    public int realLength(int b) {
        int count = 0;
        for (int t = 0; t < sequenceLength; t++) count += attentionMask[b * sequenceLength + t];
        return count;
    }

    private int[][] to2d(int[] flat) {
        int[][] out = new int[batchSize][];
        for (int b = 0; b < batchSize; b++) out[b] = row(flat, b);
        return out;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof BatchEncoding e && batchSize == e.batchSize && sequenceLength == e.sequenceLength
                && Arrays.equals(ids, e.ids) && Arrays.equals(attentionMask, e.attentionMask)
                && Arrays.equals(typeIds, e.typeIds);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(ids);
    }

    @Override
    public String toString() {
        return "BatchEncoding[" + batchSize + " x " + sequenceLength + "]";
    }
}
