package dev.ranker4j.training.train;

import dev.ranker4j.training.loss.GradientCachedLce;
import dev.ranker4j.training.loss.LocalizedContrastiveLoss;
import dev.ranker4j.transformer.bert.BertInput;
import dev.ranker4j.transformer.ranking.CrossEncoder;

/**
 * A cross-encoder trained with LCE on grouped pairs (Gao et al., ECIR 2021), optionally with gradient caching
 * ({@link GradientCachedLce}) so that large groups are scored {@code chunkSize} pairs at a time; with dropout on,
 * both passes over a chunk use the same masks.
 */
public final class CrossEncoderLceObjective implements Objective<PairBatch> {
    private final CrossEncoder model;
    private final int chunkSize;

    public CrossEncoderLceObjective(CrossEncoder model) {
        this(model, 0);
    }

    /** @param chunkSize pairs per forward pass with gradient caching; 0 scores the whole batch in one graph */
    public CrossEncoderLceObjective(CrossEncoder model, int chunkSize) {
        if (chunkSize < 0) throw new IllegalArgumentException("gradient cache chunk size must be >= 0, got " + chunkSize);
        this.model = model;
        this.chunkSize = chunkSize;
    }

    @Override
    public Loss loss(PairBatch batch) {
        if (chunkSize == 0) {
            return new Loss(new LocalizedContrastiveLoss(batch.groupSize()).compute(model.score(batch.pairs())));
        }
        BertInput pairs = batch.pairs();
        // Each chunk is scored twice (without, then with a graph); replaying the dropout generators' states makes
        // the second pass draw the masks of the first, so the injected dL/ds belongs to the same function.
        java.util.Map<Integer, java.util.List<dev.ranker4j.tensor.SeededRandom.State>> before = new java.util.HashMap<>();
        java.util.List<java.util.List<dev.ranker4j.tensor.SeededRandom.State>> afterFirstPass = new java.util.ArrayList<>();
        double value = new GradientCachedLce(batch.groupSize(), chunkSize).backward(pairs.batchSize(), (start, end) -> {
            var saved = before.get(start);
            if (saved == null) {
                before.put(start, DropoutGenerators.states(model));
            } else {
                DropoutGenerators.restore(model, saved);
            }
            var scores = model.score(rows(pairs, start, end));
            if (saved == null && end == pairs.batchSize()) afterFirstPass.add(DropoutGenerators.states(model));
            return scores;
        });
        // Continue the random stream as if every chunk had been scored once.
        DropoutGenerators.restore(model, afterFirstPass.get(0));
        return Loss.alreadyBackpropagated(value, model.dtype());
    }

    private static BertInput rows(BertInput input, int start, int end) {
        return new BertInput(input.inputIds().narrow(0, start, end - start).contiguous(),
                input.attentionMask().narrow(0, start, end - start).contiguous(),
                input.tokenTypeIds() == null ? null : input.tokenTypeIds().narrow(0, start, end - start).contiguous());
    }

    @Override
    public int examples(PairBatch batch) {
        return batch.queries();
    }
}
