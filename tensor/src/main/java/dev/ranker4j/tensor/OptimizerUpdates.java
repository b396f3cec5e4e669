package dev.ranker4j.tensor;

import dev.ranker4j.kernels.AdamWStep;
import dev.ranker4j.kernels.Backend;
import dev.ranker4j.kernels.Backends;

/**
 * In-place optimizer updates over whole parameter tensors, run by the current {@link Backend}: on a device backend
 * the parameter, its gradient and its optimizer state stay on the device (the arrays go to the backend as kernel
 * operands, not through the host-access path of {@link Storage#floats()}).
 */
public final class OptimizerUpdates {
    private OptimizerUpdates() {}

    /**
     * One AdamW update ({@link AdamWStep}) of {@code theta} with gradient {@code grad} and moments {@code m},
     * {@code v}, all of one shape and dtype (F32 or F64) and each owning its whole storage.
     */
    public static void adamW(AdamWStep step, Tensor theta, Tensor grad, Tensor m, Tensor v) {
        for (Tensor t : new Tensor[] {grad, m, v}) {
            if (t.dtype != theta.dtype || !java.util.Arrays.equals(t.shape, theta.shape)) {
                throw new IllegalArgumentException("adamW: parameter " + theta.describe() + " but gradient/moment "
                        + t.describe());
            }
        }
        for (Tensor t : new Tensor[] {theta, grad, m, v}) requireWhole(t);
        int n = theta.numel();
        Backend backend = Backends.current();
        switch (theta.dtype) {
            case F32, F64 -> backend.adamW(step, theta.storage.kernelArray(0), grad.storage.kernelArray(0),
                    m.storage.kernelArray(0), v.storage.kernelArray(0), n);
            default -> throw new IllegalArgumentException("adamW: parameters must be F32 or F64, got " + theta.describe());
        }
    }

    /** Updates write through the storage array, so the tensor must be all of it, in order. */
    private static void requireWhole(Tensor t) {
        if (!t.isContiguous() || t.offset != 0 || t.storage.length() != t.numel()) {
            throw new IllegalArgumentException("adamW: " + t.describe() + " is a view (offset " + t.offset
                    + ", storage of " + t.storage.length() + "); parameters, gradients and moments must own their storage");
        }
    }
}
