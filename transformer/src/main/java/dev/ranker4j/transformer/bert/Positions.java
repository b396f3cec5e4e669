package dev.ranker4j.transformer.bert;

import dev.ranker4j.tensor.Tensor;

/** Absolute position ids 0, 1, …, seq − 1 (I32 [seq]) for the position embedding lookup. */
final class Positions {
    private Positions() {}

    static Tensor ids(int seq) {
        int[] ids = new int[seq];
        for (int i = 0; i < seq; i++) ids[i] = i;
        return Tensor.fromArray(ids, seq);
    }
}
