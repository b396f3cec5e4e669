package dev.ranker4j.training.train;

import dev.ranker4j.training.loss.LocalizedContrastiveLoss;
import dev.ranker4j.transformer.ranking.Colbert;

/**
 * ColBERT (Khattab and Zaharia, SIGIR 2020) trained like the LCE re-ranker: each query's group of a positive and
 * localized negatives is scored by MaxSim, and the softmax cross-entropy of the positive is minimised. TAS-Balanced's
 * in-batch teacher is such a model, trained on the same queries as the student it teaches (Hofstätter et al., SIGIR
 * 2021, §4).
 */
public final class ColbertLceObjective implements Objective<ColbertBatch> {
    private final Colbert model;

    public ColbertLceObjective(Colbert model) {
        this.model = model;
    }

    @Override
    public Loss loss(ColbertBatch batch) {
        return new Loss(new LocalizedContrastiveLoss(batch.groupSize()).compute(model.score(batch.queries(), batch.documents())));
    }

    @Override
    public int examples(ColbertBatch batch) {
        return batch.groups();
    }
}
