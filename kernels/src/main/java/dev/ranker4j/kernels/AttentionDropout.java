package dev.ranker4j.kernels;

/**
 * Dropout on the attention probabilities, inside the attention kernels (BERT's {@code attention_probs_dropout_prob}):
 * O = (P ⊙ M) V with M the inverted-dropout mask that {@link Backend#dropoutMask}{@code (seed, firstPosition, p, ·,
 * batch·heads·seqQ·seqK)} would write, laid out as the probabilities [batch, heads, seqQ, seqK]: element
 * (b, h, i, j) is
 * <pre>
 *   M[b, h, i, j] = unit(firstPosition + ((b·heads + h)·seqQ + i)·seqK + j, 0) ≥ p ? 1/(1 − p) : 0
 * </pre>
 * with {@code unit} from {@link CounterRandom}. So the fused kernels drop exactly the elements a composed
 * softmax → dropout (mask from {@code SeededRandom.dropoutMask}) → matmul drops, bit for bit, and no kernel has to
 * store the mask: the backward draws it again from the same positions.
 *
 * @param seed          the generator's seed (as given to {@link Backend#dropoutMask}, not yet mixed)
 * @param firstPosition the counter position of element (0, 0, 0, 0)
 * @param p             the probability of dropping an element, in [0, 1]
 */
public record AttentionDropout(long seed, long firstPosition, double p) {
    public AttentionDropout {
        CounterRandom.keptValue(p); // validates p
    }

    /** The counter position of the first element of head {@code h} of sequence {@code b}: its row 0, column 0. */
    public long headPosition(AttentionShape shape, int b, int h) {
        return firstPosition + ((long) b * shape.heads() + h) * shape.seqQ() * shape.seqK();
    }

    /** Positions one call consumes: batch · heads · seqQ · seqK. */
    public static long positions(AttentionShape shape) {
        return (long) shape.batch() * shape.heads() * shape.seqQ() * shape.seqK();
    }
}
