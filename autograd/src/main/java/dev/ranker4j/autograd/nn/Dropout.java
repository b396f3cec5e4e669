package dev.ranker4j.autograd.nn;

import dev.ranker4j.autograd.Ops;
import dev.ranker4j.autograd.Variable;
import dev.ranker4j.tensor.SeededRandom;

/**
 * Dropout with probability p in training mode; the identity in evaluation mode. Masks come from the generator given
 * at construction, so one seed makes a training run reproducible.
 */
public final class Dropout extends Module {
    private final double p;
    private final SeededRandom random;

    public Dropout(double p, SeededRandom random) {
        if (!(p >= 0 && p < 1)) throw new IllegalArgumentException("Dropout: p must be in [0, 1), got " + p);
        this.p = p;
        this.random = random;
    }

    public Variable forward(Variable x) {
        if (!isTraining() || p == 0) return x;
        return Ops.dropout(x, random.dropoutMask(x.dtype(), p, x.shape()));
    }

    public double p() {
        return p;
    }
}
