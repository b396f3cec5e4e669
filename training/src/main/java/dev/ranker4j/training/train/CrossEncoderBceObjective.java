package dev.ranker4j.training.train;

import dev.ranker4j.training.loss.PointwiseBceLoss;
import dev.ranker4j.transformer.ranking.CrossEncoder;

/** A cross-encoder trained pointwise with BCE on labelled pairs (Nogueira &amp; Cho 2019). */
public final class CrossEncoderBceObjective implements Objective<PairBatch> {
    private final CrossEncoder model;
    private final PointwiseBceLoss loss = new PointwiseBceLoss();

    public CrossEncoderBceObjective(CrossEncoder model) {
        this.model = model;
    }

    @Override
    public Loss loss(PairBatch batch) {
        if (batch.labels() == null) throw new IllegalArgumentException("CrossEncoderBceObjective: the batch has no labels");
        return new Loss(loss.compute(model.score(batch.pairs()), batch.labels()));
    }

    @Override
    public int examples(PairBatch batch) {
        return batch.pairs().batchSize();
    }
}
