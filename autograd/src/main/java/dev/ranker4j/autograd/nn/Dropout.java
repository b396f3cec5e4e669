package dev.ranker4j.autograd.nn;

import dev.ranker4j.autograd.Ops;
import dev.ranker4j.autograd.Variable;

import java.util.random.RandomGenerator;

/**
 * Dropout with probability p in training mode; the identity in evaluation mode. Masks come from the generator given
 * at construction, so one seed makes a training run reproducible.
 */
public final class Dropout extends Module {
    private final double p;
    private final RandomGenerator random;

    public Dropout(double p, RandomGenerator random) {
        if (!(p >= 0 && p < 1)) throw new IllegalArgumentException("Dropout: p must be in [0, 1), got " + p);
        this.p = p;
        this.random = random;
    }

    public Variable forward(Variable x) {
        if (!isTraining() || p == 0) return x;
        return Ops.dropout(x, Init.keepMask(random, p, x.dtype(), x.shape()), p);
    }

    public double p() {
        return p;
    }
}
