package dev.ranker4j.autograd.nn;

import dev.ranker4j.autograd.Variable;
import dev.ranker4j.tensor.DType;
import dev.ranker4j.tensor.Tensor;

/** A trainable weight: a leaf {@link Variable} that requires a gradient and whose value can be loaded or updated. */
public final class Parameter extends Variable {

    public Parameter(Tensor value) {
        super(value, true);
    }

    /** Replaces the value (a checkpoint load); the shape and dtype must be the current ones. */
    public void set(Tensor value) {
        replaceValue(value);
    }

    /** Converts the value to {@code dtype} (e.g. F64 for a gradient check), dropping any gradient. */
    public void to(DType dtype) {
        convertValue(dtype);
    }
}
