package dev.ranker4j.autograd.nn;

import dev.ranker4j.autograd.Ops;
import dev.ranker4j.autograd.Variable;
import dev.ranker4j.tensor.DType;
import dev.ranker4j.tensor.Tensor;

import java.util.random.RandomGenerator;

/** A lookup table {@code weight} [vocab, dim]: ids [...] → vectors [..., dim]. */
public final class Embedding extends Module {
    private final Parameter weight;

    public Embedding(int vocab, int dim, double std, RandomGenerator random, DType dtype) {
        this.weight = registerParameter("weight", new Parameter(Init.normal(random, std, dtype, vocab, dim)));
    }

    /** @param ids integer tensor (I32 or I64) of any shape */
    public Variable forward(Tensor ids) {
        return Ops.embedding(weight, ids);
    }

    public Parameter weight() {
        return weight;
    }
}
