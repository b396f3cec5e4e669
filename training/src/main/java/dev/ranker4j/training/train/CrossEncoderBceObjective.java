package dev.ranker4j.training.train;

import dev.ranker4j.tensor.Tensor;
import dev.ranker4j.training.loss.PointwiseBceLoss;
import dev.ranker4j.transformer.ranking.CrossEncoder;

/**
 * A cross-encoder trained pointwise with BCE on labelled pairs (Nogueira &amp; Cho 2019). Labelled batches carry
 * their labels; grouped batches (a positive first, then negatives, as LCE trains on) are labelled 1, 0, …, 0 per
 * group, so BCE and LCE can be compared on exactly the same data (Gao, Dai and Callan, ECIR 2021, Table 1).
 */
public final class CrossEncoderBceObjective implements Objective<PairBatch> {
    private final CrossEncoder model;
    private final PointwiseBceLoss loss = new PointwiseBceLoss();

    public CrossEncoderBceObjective(CrossEncoder model) {
        this.model = model;
    }

    @Override
    public Loss loss(PairBatch batch) {
        Tensor labels = batch.labels() != null ? batch.labels() : groupLabels(batch);
        return new Loss(loss.compute(model.score(batch.pairs()), labels));
    }

    private static Tensor groupLabels(PairBatch batch) {
        if (batch.groupSize() < 2) throw new IllegalArgumentException("CrossEncoderBceObjective: the batch has no labels and no groups");
        float[] labels = new float[batch.pairs().batchSize()];
        for (int row = 0; row < labels.length; row += batch.groupSize()) labels[row] = 1;
        return Tensor.fromArray(labels, labels.length);
    }

    @Override
    public int examples(PairBatch batch) {
        return batch.pairs().batchSize();
    }
}
