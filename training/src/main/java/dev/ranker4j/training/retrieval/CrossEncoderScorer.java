package dev.ranker4j.training.retrieval;

import dev.ranker4j.autograd.NoGrad;
import dev.ranker4j.ir.retrieval.PairScorer;
import dev.ranker4j.tensor.ActivationArena;
import dev.ranker4j.tokenizer.Encoding;
import dev.ranker4j.tokenizer.Padding;
import dev.ranker4j.tokenizer.Truncation;
import dev.ranker4j.tokenizer.WordPieceTokenizer;
import dev.ranker4j.transformer.bert.BertInput;
import dev.ranker4j.transformer.ranking.CrossEncoder;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * A {@link CrossEncoder} as a {@link PairScorer}: each pair is tokenized as {@code [CLS] query [SEP] passage [SEP]},
 * truncated longest-first to {@code maxLength} tokens, and scored without recording a graph.
 *
 * <p>Batches are length-sorted: the pairs of one call are ordered by token count (longest first, ties in input
 * order), cut into forward passes of {@code batchSize} consecutive pairs, each padded only to its own longest pair,
 * and the scores are put back in input order. A call's scores therefore depend only on its pairs and the batch size,
 * which is what lets {@code ranker4j rerank} and the API's {@code Reranker} agree bit for bit.
 */
public final class CrossEncoderScorer implements PairScorer {
    private final WordPieceTokenizer tokenizer;
    private final CrossEncoder model;
    private final int maxLength;
    private final int batchSize;
    /** Where each forward pass's activations live (see {@link ActivationArena}). */
    private final ActivationArena arena = new ActivationArena();

    /** One forward pass per call, whatever its size. */
    public CrossEncoderScorer(WordPieceTokenizer tokenizer, CrossEncoder model, int maxLength) {
        this(tokenizer, model, maxLength, Integer.MAX_VALUE);
    }

    /** Forward passes of at most {@code batchSize} pairs. */
    public CrossEncoderScorer(WordPieceTokenizer tokenizer, CrossEncoder model, int maxLength, int batchSize) {
        if (maxLength < 1 || batchSize < 1) {
            throw new IllegalArgumentException("maxLength and batchSize must be positive: " + maxLength + ", " + batchSize);
        }
        this.tokenizer = tokenizer;
        this.model = model;
        this.maxLength = maxLength;
        this.batchSize = batchSize;
        model.eval();
    }

    @Override
    public float[] score(String query, List<String> passages) {
        return scorePairs(Collections.nCopies(passages.size(), query), passages);
    }

    /** All queries' pairs are sorted and batched together. */
    @Override
    public float[][] scoreAll(List<String> queries, List<List<String>> passages) {
        if (queries.size() != passages.size()) {
            throw new IllegalArgumentException(queries.size() + " queries but " + passages.size() + " passage lists");
        }
        List<String> firsts = new ArrayList<>(), seconds = new ArrayList<>();
        for (int i = 0; i < queries.size(); i++) {
            firsts.addAll(Collections.nCopies(passages.get(i).size(), queries.get(i)));
            seconds.addAll(passages.get(i));
        }
        float[] flat = scorePairs(firsts, seconds);
        float[][] scores = new float[queries.size()][];
        for (int i = 0, from = 0; i < scores.length; from += passages.get(i).size(), i++) {
            scores[i] = Arrays.copyOfRange(flat, from, from + passages.get(i).size());
        }
        return scores;
    }

    /** {@code score(queries[i], passages[i])} for every i, in length-sorted batches. */
    public float[] scorePairs(List<String> queries, List<String> passages) {
        if (queries.size() != passages.size()) {
            throw new IllegalArgumentException(queries.size() + " queries but " + passages.size() + " passages");
        }
        Truncation truncation = Truncation.longestFirst(maxLength);
        List<Encoding> pairs = new ArrayList<>(passages.size());
        for (int i = 0; i < passages.size(); i++) pairs.add(tokenizer.encodePair(queries.get(i), passages.get(i), truncation));
        Integer[] order = new Integer[pairs.size()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Arrays.sort(order, Comparator.comparingInt((Integer i) -> pairs.get(i).length()).reversed()); // stable

        float[] scores = new float[pairs.size()];
        for (int start = 0; start < order.length; start += batchSize) {
            int end = (int) Math.min(order.length, (long) start + batchSize);
            List<Encoding> batch = new ArrayList<>(end - start);
            for (int i = start; i < end; i++) batch.add(pairs.get(order[i]));
            float[] batchScores;
            // The batch's activations come from the arena and go back once the scores are copied out.
            try (NoGrad ignored = NoGrad.enter(); ActivationArena.Step step = arena.begin()) {
                batchScores = model.score(BertInput.of(tokenizer.pad(batch, Padding.LONGEST))).value().contiguous()
                        .toFloatArray();
            }
            for (int i = start; i < end; i++) scores[order[i]] = batchScores[i - start];
        }
        return scores;
    }
}
