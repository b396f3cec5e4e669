package dev.ranker4j.training.loss;

import dev.ranker4j.autograd.Variable;
import dev.ranker4j.tensor.Tensor;

import java.util.Arrays;

/** Shape checks shared by the losses, with messages that name the loss and the offending shapes. */
final class LossShapes {
    private LossShapes() {}

    static void requireShape(String loss, String what, int[] actual, int... expected) {
        if (!Arrays.equals(actual, expected)) {
            throw new IllegalArgumentException(loss + ": " + what + " must have shape " + Arrays.toString(expected)
                    + ", got " + Arrays.toString(actual));
        }
    }

    static void requireRank(String loss, String what, Variable v, int rank) {
        if (v.rank() != rank) {
            throw new IllegalArgumentException(loss + ": " + what + " must have rank " + rank + ", got shape "
                    + Arrays.toString(v.shape()));
        }
    }

    static void requireSameShape(String loss, String a, Variable x, String b, Variable y) {
        if (!Arrays.equals(x.shape(), y.shape())) {
            throw new IllegalArgumentException(loss + ": " + a + " " + Arrays.toString(x.shape()) + " and " + b + " "
                    + Arrays.toString(y.shape()) + " must have the same shape");
        }
    }

    /** A constant target in the scores' dtype, checked against the expected shape. */
    static Variable target(String loss, String what, Tensor t, Variable like, int... expected) {
        requireShape(loss, what, t.shape(), expected);
        return Variable.constant(t.dtype() == like.dtype() ? t : t.to(like.dtype()));
    }
}
