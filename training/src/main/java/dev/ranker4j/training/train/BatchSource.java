package dev.ranker4j.training.train;

/**
 * Training batches by index. A source must return the same batch for the same index (derive any randomness from the
 * index and a seed), which is what makes a resumed run see exactly the batches the uninterrupted run would have.
 * Samplers (localized negatives, TAS-Balanced, RocketQAv2 hybrid data) plug in here.
 *
 * @param <B> the batch type an {@link Objective} consumes
 */
public interface BatchSource<B> {

    /** Batch number {@code index} (0, 1, ...; micro-batches of gradient accumulation are counted separately). */
    B batch(long index);

    /** Batches in one pass over the data, for epoch-based runs; 0 when the source has no epochs (endless sampling). */
    default long batchesPerEpoch() {
        return 0;
    }
}
