package dev.ranker4j.autograd.ops;

import dev.ranker4j.autograd.DifferentiableFunction;
import dev.ranker4j.tensor.Tensor;

/**
 * y = x with its axes reordered: y's axis i is x's axis {@code perm[i]} (transpose swaps two).
 * dx = g permuted by the inverse permutation.
 */
public final class PermuteFn extends DifferentiableFunction {
    private final int[] perm;

    public PermuteFn(int... perm) {
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
