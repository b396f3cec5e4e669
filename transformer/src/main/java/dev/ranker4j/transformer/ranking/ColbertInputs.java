package dev.ranker4j.transformer.ranking;

import dev.ranker4j.tensor.Tensor;
import dev.ranker4j.transformer.bert.BertInput;

import java.util.List;

/**
 * Builds ColBERT's inputs from token ids (each {@code [CLS] tokens… [SEP]} as a BERT tokenizer produces them), as
 * the ColBERT code does: a marker token right after [CLS] ({@code [unused0]} for queries, {@code [unused1]} for
 * documents in the BERT vocabulary), truncation to the maximum length, and for queries padding to exactly
 * {@code queryLength} with [MASK] tokens (query augmentation) that the attention mask leaves out as keys but whose
 * output vectors take part in MaxSim. Documents are padded with [PAD] to the longest in the batch.
 *
 * @param queryMarker    id of [Q]
 * @param documentMarker id of [D]
 * @param maskId         id of [MASK]
 * @param padId          id of [PAD]
 * @param sepId          id of [SEP]
 */
public record ColbertInputs(long queryMarker, long documentMarker, long maskId, long padId, long sepId) {

    /** The ids of bert-base-uncased's vocabulary: [unused0] = 1, [unused1] = 2, [MASK] = 103, [PAD] = 0, [SEP] = 102. */
    public static final ColbertInputs BERT_UNCASED = new ColbertInputs(1, 2, 103, 0, 102);

    /** Queries padded with [MASK] to {@code queryLength} (ColBERT's N_q, 32 by default). */
    public BertInput queries(List<long[]> tokenIds, int queryLength) {
        return build(tokenIds, queryMarker, queryLength, maskId);
    }

    /** Documents truncated to {@code maxLength}, padded with [PAD] to the longest. */
    public BertInput documents(List<long[]> tokenIds, int maxLength) {
        int longest = 0;
        for (long[] ids : tokenIds) longest = Math.max(longest, Math.min(ids.length + 1, maxLength));
        return build(tokenIds, documentMarker, longest, padId);
    }

    private BertInput build(List<long[]> tokenIds, long marker, int length, long filler) {
        int b = tokenIds.size();
        long[] ids = new long[b * length], mask = new long[b * length];
        for (int r = 0; r < b; r++) {
            long[] source = tokenIds.get(r);
            if (source.length < 2) throw new IllegalArgumentException("ColbertInputs: row " + r + " needs at least [CLS] and [SEP]");
            // [CLS] marker tokens…; the inserted marker makes one more token, so truncate and re-terminate with [SEP].
            int n = Math.min(source.length + 1, length);
            ids[r * length] = source[0];
            ids[r * length + 1] = marker;
            for (int i = 2; i < n; i++) ids[r * length + i] = source[i - 1];
            if (n < source.length + 1) ids[r * length + n - 1] = sepId;
            for (int i = 0; i < n; i++) mask[r * length + i] = 1;
            for (int i = n; i < length; i++) ids[r * length + i] = filler;
        }
        return new BertInput(Tensor.fromArray(ids, b, length), Tensor.fromArray(mask, b, length), null);
    }
}
