package dev.ranker4j.training.retrieval;

import dev.ranker4j.autograd.NoGrad;
import dev.ranker4j.ir.retrieval.PairScorer;
import dev.ranker4j.tokenizer.Padding;
import dev.ranker4j.tokenizer.Truncation;
import dev.ranker4j.tokenizer.WordPieceTokenizer;
import dev.ranker4j.transformer.bert.BertInput;
import dev.ranker4j.transformer.ranking.CrossEncoder;

import java.util.Collections;
import java.util.List;

/**
 * A {@link CrossEncoder} as a {@link PairScorer}: each pair is tokenized as {@code [CLS] query [SEP] passage [SEP]},
 * truncated longest-first to {@code maxLength} tokens, padded to the batch's longest pair, and scored without
 * recording a graph.
 */
public final class CrossEncoderScorer implements PairScorer {
    private final WordPieceTokenizer tokenizer;
    private final CrossEncoder model;
    private final int maxLength;

    public CrossEncoderScorer(WordPieceTokenizer tokenizer, CrossEncoder model, int maxLength) {
        this.tokenizer = tokenizer;
        this.model = model;
        this.maxLength = maxLength;
        model.eval();
    }

    @Override
    public float[] score(String query, List<String> passages) {
        var batch = tokenizer.encodePairBatch(Collections.nCopies(passages.size(), query), passages,
                Truncation.longestFirst(maxLength), Padding.LONGEST);
        try (NoGrad ignored = NoGrad.enter()) {
            return model.score(BertInput.of(batch)).value().contiguous().toFloatArray();
        }
    }
}
