package dev.ranker4j.training.retrieval;

import dev.ranker4j.autograd.NoGrad;
import dev.ranker4j.autograd.Variable;
import dev.ranker4j.ir.retrieval.PairScorer;
import dev.ranker4j.tokenizer.Truncation;
import dev.ranker4j.tokenizer.WordPieceTokenizer;
import dev.ranker4j.transformer.ranking.Colbert;
import dev.ranker4j.transformer.ranking.ColbertInputs;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@link Colbert} late-interaction model as a {@link PairScorer}: {@code score(q, d) = Σ_i max_j E_q,i · E_d,j}
 * (Khattab and Zaharia 2020), queries padded with [MASK] to {@code queryLength}, documents truncated to
 * {@code documentMaxLength}, with the marker tokens of {@link ColbertInputs}. A call's documents are encoded in
 * forward passes of {@code batchSize}, in input order.
 */
public final class ColbertScorer implements PairScorer {
    private final WordPieceTokenizer tokenizer;
    private final Colbert model;
    private final ColbertInputs inputs;
    private final int queryLength;
    private final int documentMaxLength;
    private final int batchSize;

    public ColbertScorer(WordPieceTokenizer tokenizer, Colbert model, ColbertInputs inputs, int queryLength,
                         int documentMaxLength, int batchSize) {
        if (queryLength < 2 || documentMaxLength < 2 || batchSize < 1) {
            throw new IllegalArgumentException("queryLength and documentMaxLength must be at least 2 and batchSize"
                    + " positive: " + queryLength + ", " + documentMaxLength + ", " + batchSize);
        }
        this.tokenizer = tokenizer;
        this.model = model;
        this.inputs = inputs;
        this.queryLength = queryLength;
        this.documentMaxLength = documentMaxLength;
        this.batchSize = batchSize;
        model.eval();
    }

    @Override
    public float[] score(String query, List<String> passages) {
        // One token fewer than the limit: ColbertInputs inserts the marker after [CLS].
        long[] queryIds = ids(query, queryLength - 1);
        float[] scores = new float[passages.size()];
        try (NoGrad ignored = NoGrad.enter()) {
            Variable queryVectors = model.encodeQueries(inputs.queries(List.of(queryIds), queryLength));
            for (int start = 0; start < passages.size(); start += batchSize) {
                int end = Math.min(passages.size(), start + batchSize);
                List<long[]> documentIds = new ArrayList<>(end - start);
                for (String passage : passages.subList(start, end)) documentIds.add(ids(passage, documentMaxLength - 1));
                Variable documentVectors = model.encodeDocuments(inputs.documents(documentIds, documentMaxLength));
                // [1, N_q, dim] x [D, N_d, dim] -> [1, D]
                float[] batch = Colbert.maxSimMatrix(queryVectors, documentVectors).value().contiguous().toFloatArray();
                System.arraycopy(batch, 0, scores, start, batch.length);
            }
        }
        return scores;
    }

    private long[] ids(String text, int maxLength) {
        int[] ids = tokenizer.encode(text, Truncation.longestFirst(maxLength)).ids();
        long[] longs = new long[ids.length];
        for (int i = 0; i < ids.length; i++) longs[i] = ids[i];
        return longs;
    }
}
