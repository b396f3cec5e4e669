package dev.ranker4j.transformer.bert;

import dev.ranker4j.tensor.DType;
import dev.ranker4j.tensor.Tensor;
import dev.ranker4j.tokenizer.BatchEncoding;

import java.util.Arrays;

/**
 * One padded batch for an encoder.
 *
 * @param inputIds      token ids, I64 [batch, seq]
 * @param attentionMask I64 [batch, seq]: 1 for a real token, 0 for padding
 * @param tokenTypeIds  segment ids, I64 [batch, seq], or null (all zeros; DistilBERT ignores them)
 */
public record BertInput(Tensor inputIds, Tensor attentionMask, Tensor tokenTypeIds) {

    public BertInput {
        requireIds("inputIds", inputIds, null);
        requireIds("attentionMask", attentionMask, inputIds.shape());
        if (tokenTypeIds != null) requireIds("tokenTypeIds", tokenTypeIds, inputIds.shape());
    }

    /** The tokenizer's padded batch as I64 tensors (type ids included). */
    public static BertInput of(BatchEncoding encoding) {
        int[] shape = encoding.shape();
        return new BertInput(Tensor.fromArray(BatchEncoding.toLongs(encoding.ids()), shape),
                Tensor.fromArray(BatchEncoding.toLongs(encoding.attentionMask()), shape),
                Tensor.fromArray(BatchEncoding.toLongs(encoding.typeIds()), shape));
    }

    public int batchSize() {
        return inputIds.size(0);
    }

    public int sequenceLength() {
        return inputIds.size(1);
    }

    /**
     * Hugging Face's "extended" attention mask: (1 − mask) · min, shaped [batch, 1, 1, seq] so that it broadcasts
     * over heads and query positions and is added to the attention scores before the softmax. min is the most
     * negative finite value of {@code dtype} ({@code torch.finfo(dtype).min}), so a padded key gets probability
     * exactly 0 while real keys are unaffected.
     */
    public Tensor additiveMask(DType dtype) {
        int batch = batchSize(), seq = sequenceLength();
        long[] mask = attentionMask.contiguous().toLongArray();
        double min = dtype == DType.F64 ? -Double.MAX_VALUE : -Float.MAX_VALUE;
        double[] additive = new double[mask.length];
        for (int i = 0; i < mask.length; i++) {
            if (mask[i] != 0 && mask[i] != 1) {
                throw new IllegalArgumentException("attentionMask must hold 0 or 1, found " + mask[i] + " at flat index " + i);
            }
            additive[i] = mask[i] == 1 ? 0 : min;
        }
        return Tensor.fromArray(additive, batch, 1, 1, seq).to(dtype);
    }

    /** Token types, or zeros of the ids' shape when none were given. */
    Tensor tokenTypesOrZeros() {
        return tokenTypeIds != null ? tokenTypeIds : Tensor.zeros(DType.I64, inputIds.shape());
    }

    private static void requireIds(String field, Tensor t, int[] expectedShape) {
        if (t == null) throw new IllegalArgumentException("BertInput: " + field + " is null");
        if (t.dtype() != DType.I64 && t.dtype() != DType.I32) {
            throw new IllegalArgumentException("BertInput: " + field + " must be I64 (or I32), got " + t.dtype());
        }
        if (t.rank() != 2) {
            throw new IllegalArgumentException("BertInput: " + field + " must be [batch, seq], got " + Arrays.toString(t.shape()));
        }
        if (expectedShape != null && !Arrays.equals(expectedShape, t.shape())) {
            throw new IllegalArgumentException("BertInput: " + field + " has shape " + Arrays.toString(t.shape())
                    + " but inputIds has " + Arrays.toString(expectedShape));
        }
    }
}
