package dev.ranker4j.training.optim;

import dev.ranker4j.autograd.nn.Parameter;
import dev.ranker4j.tensor.Tensor;

import java.util.Arrays;

/** Access to the flat arrays optimizers update in place, with checks that the tensors really are flat. */
final class OptimizerArrays {
    private OptimizerArrays() {}

    static double[] doubles(Tensor t, String name) {
        requireWhole(t, name);
        return t.storage().doubles();
    }

    static float[] floats(Tensor t, String name) {
        requireWhole(t, name);
        return t.storage().floats();
    }

    /** Optimizers write through the storage array, so the tensor must be all of it, in order. */
    static void requireWhole(Tensor t, String name) {
        if (!t.isContiguous() || t.offset() != 0 || t.storage().length() != t.numel()) {
            throw new IllegalStateException("optimizer: " + name + " is a view (offset " + t.offset() + ", storage "
                    + t.storage().length() + " for " + t.numel() + " elements); parameters and gradients must own their storage");
        }
    }

    /** A private copy of a loaded state tensor, checked against its parameter's shape and converted to its dtype. */
    static Tensor ownedCopy(Tensor state, Parameter p, String name) {
        if (!Arrays.equals(state.shape(), p.shape())) {
            throw new IllegalArgumentException("optimizer state " + name + " has shape " + Arrays.toString(state.shape())
                    + " but the parameter has " + Arrays.toString(p.shape()));
        }
        Tensor copy = state.to(p.dtype()).contiguous();
        return copy == state ? state.copy() : copy.copy();
    }
}
