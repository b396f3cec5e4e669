package dev.ranker4j.autograd.ops;

import dev.ranker4j.autograd.Function;
import dev.ranker4j.tensor.Tensor;

/**
 * y = x with its axes reordered: y's axis i is x's axis {@code perm[i]} (transpose swaps two).
 * dx = g permuted by the inverse permutation.
 */
public final class Permute extends Function {
    private final int[] perm;

    public Permute(int... perm) {
        this.perm = perm.clone();
    }

    @Override
    protected Tensor forward(Tensor... in) {
        return in[0].permute(perm);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        int[] inverse = new int[perm.length];
        for (int i = 0; i < perm.length; i++) inverse[perm[i]] = i;
        return new Tensor[] {g.permute(inverse)};
    }
}
