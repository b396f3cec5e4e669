package dev.ranker4j.autograd.nn;

import dev.ranker4j.autograd.Ops;
import dev.ranker4j.autograd.Variable;
import dev.ranker4j.tensor.DType;
import dev.ranker4j.tensor.SeededRandom;
import dev.ranker4j.tensor.Tensor;

/** A lookup table {@code weight} [vocab, dim]: ids [...] → vectors [..., dim]. */
public final class Embedding extends Module {
    private final Parameter weight;

    public Embedding(int vocab, int dim, double std, SeededRandom random, DType dtype) {
        this(vocab, dim, std, Init.random(random), dtype);
    }

    /** Rows drawn from N(0, std²) by {@code init} (or deferred until a checkpoint is loaded). */
    public Embedding(int vocab, int dim, double std, Init init, DType dtype) {
        this.weight = registerParameter("weight", init.normal(dtype, std, vocab, dim));
    }

    /** @param ids integer tensor (I32 or I64) of any shape */
    public Variable forward(Tensor ids) {
        return Ops.embedding(weight, ids);
    }

    public Parameter weight() {
        return weight;
    }
}
