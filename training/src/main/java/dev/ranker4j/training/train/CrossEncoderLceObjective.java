package dev.ranker4j.training.train;

import dev.ranker4j.training.loss.GradientCachedLce;
import dev.ranker4j.training.loss.LocalizedContrastiveLoss;
import dev.ranker4j.transformer.bert.BertInput;
import dev.ranker4j.transformer.ranking.CrossEncoder;

/**
 * A cross-encoder trained with LCE on grouped pairs (Gao et al., ECIR 2021), optionally with gradient caching
 * ({@link GradientCachedLce}) so that large groups are scored {@code chunkSize} pairs at a time.
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
        double value = new GradientCachedLce(batch.groupSize(), chunkSize).backward(pairs.batchSize(),
                (start, end) -> model.score(rows(pairs, start, end)));
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
