package dev.ranker4j.autograd.nn;

import dev.ranker4j.autograd.Ops;
import dev.ranker4j.autograd.Variable;
import dev.ranker4j.kernels.AttentionDropout;
import dev.ranker4j.tensor.SeededRandom;

/**
 * Dropout with probability p in training mode; the identity in evaluation mode. Masks come from the generator given
 * at construction, so one seed makes a training run reproducible.
 */
public final class Dropout extends Module {
    private final double p;
    private SeededRandom random;

    public Dropout(double p, SeededRandom random) {
        if (!(p >= 0 && p < 1)) throw new IllegalArgumentException("Dropout: p must be in [0, 1), got " + p);
        this.p = p;
        this.random = random;
    }

    public Variable forward(Variable x) {
        if (!isTraining() || p == 0) return x;
        return Ops.dropout(x, random.dropoutMask(x.dtype(), p, x.shape()));
    }

    /**
     * Dropout of attention probabilities [batch, heads, seqQ, seqK] for the fused attention op, which draws the mask
     * inside its kernels ({@link Ops#attention(Variable, int, dev.ranker4j.tensor.Tensor, double, AttentionDropout)}):
     * the positions {@link #forward} would consume for them, reserved from this module's generator. Null in
     * evaluation mode or when p = 0 (nothing to drop; the counter does not move, as {@link #forward} does not draw).
     */
    public AttentionDropout forAttention(int batch, int heads, int seqQ, int seqK) {
        if (!isTraining() || p == 0) return null;
        return random.attentionDropout(p, batch, heads, seqQ, seqK);
    }

    /**
     * The generator the masks come from (often shared by every dropout of a model). A trainer saves its
     * {@link SeededRandom#state()} in a checkpoint so that a resumed run draws the same masks.
     */
    public SeededRandom generator() {
        return random;
    }

    /** Continues from another generator (a resumed checkpoint's); dropouts that shared one should share the new one. */
    public void setGenerator(SeededRandom generator) {
        this.random = java.util.Objects.requireNonNull(generator, "generator");
    }

    public double p() {
        return p;
    }
}
