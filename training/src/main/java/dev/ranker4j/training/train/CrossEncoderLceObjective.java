package dev.ranker4j.training.train;

import dev.ranker4j.training.loss.LocalizedContrastiveLoss;
import dev.ranker4j.transformer.ranking.CrossEncoder;

/** A cross-encoder trained with LCE on grouped pairs (Gao et al., ECIR 2021). */
public final class CrossEncoderLceObjective implements Objective<PairBatch> {
    private final CrossEncoder model;

    public CrossEncoderLceObjective(CrossEncoder model) {
        this.model = model;
    }

    @Override
    public Loss loss(PairBatch batch) {
        return new Loss(new LocalizedContrastiveLoss(batch.groupSize()).compute(model.score(batch.pairs())));
    }

    @Override
    public int examples(PairBatch batch) {
        return batch.queries();
    }
}
