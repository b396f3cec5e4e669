package dev.ranker4j.training.retrieval;

import dev.ranker4j.autograd.NoGrad;
import dev.ranker4j.ir.retrieval.CorpusEncoder;
import dev.ranker4j.ir.retrieval.Similarity;
import dev.ranker4j.ir.retrieval.TextEncoder;
import dev.ranker4j.tensor.Tensor;
import dev.ranker4j.tokenizer.Padding;
import dev.ranker4j.tokenizer.Truncation;
import dev.ranker4j.tokenizer.WordPieceTokenizer;
import dev.ranker4j.transformer.bert.BertInput;
import dev.ranker4j.transformer.ranking.DualEncoder;

import java.util.List;

/**
 * The two towers of a {@link DualEncoder} being trained, as {@link TextEncoder}s for retrieval: texts are tokenized
 * ({@code [CLS] text [SEP]}, truncated to the requested length, padded to the batch's longest), encoded without a
 * graph and pooled as the model pools. Callers batch the texts ({@link CorpusEncoder} does).
 */
public final class DualEncoderTowers {
    private DualEncoderTowers() {}

    /** The query tower. */
    public static TextEncoder queries(DualEncoder model, WordPieceTokenizer tokenizer) {
        return (texts, maxLength) -> {
            try (NoGrad ignored = NoGrad.enter()) {
                return rows(model.encodeQueries(input(tokenizer, texts, maxLength)).value());
            }
        };
    }

    /** The passage tower. */
    public static TextEncoder passages(DualEncoder model, WordPieceTokenizer tokenizer) {
        return (texts, maxLength) -> {
            try (NoGrad ignored = NoGrad.enter()) {
                return rows(model.encodePassages(input(tokenizer, texts, maxLength)).value());
            }
        };
    }

    /** The retrieval similarity matching the model's training similarity. */
    public static Similarity similarity(DualEncoder model) {
        return model.similarity() == dev.ranker4j.transformer.ranking.DualEncoderSimilarity.DOT ? Similarity.DOT : Similarity.COSINE;
    }

    private static BertInput input(WordPieceTokenizer tokenizer, List<String> texts, int maxLength) {
        return BertInput.of(tokenizer.encodeBatch(texts, Truncation.longestFirst(maxLength), Padding.LONGEST));
    }

    /** [n, d] to n float rows. */
    private static float[][] rows(Tensor vectors) {
        float[] flat = vectors.contiguous().toFloatArray();
        int n = vectors.shape()[0], d = vectors.shape()[1];
        float[][] out = new float[n][];
        for (int i = 0; i < n; i++) out[i] = java.util.Arrays.copyOfRange(flat, i * d, (i + 1) * d);
        return out;
    }
}
