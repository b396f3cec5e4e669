package dev.ranker4j.autograd.ops;

import dev.ranker4j.autograd.DifferentiableFunction;
import dev.ranker4j.tensor.Tensor;

import java.util.Arrays;

/**
 * What every reduction over {@code axes} shares: the axes (negative ones count from the end, none means all),
 * keepDim, and the shapes its backward needs to broadcast g back over the reduced axes.
 */
abstract class Reduction extends DifferentiableFunction {
    private final int[] requestedAxes;
    protected final boolean keepDim;
    protected int[] inputShape;
    protected int[] axes;

    Reduction(int[] axes, boolean keepDim) {
        this.requestedAxes = axes.clone();
        this.keepDim = keepDim;
    }

    /** Resolves the axes against the input; call first in forward. */
    protected final void resolveAxes(Tensor x) {
        inputShape = x.shape();
        axes = normalize(name(), requestedAxes, inputShape.length);
    }

    /** The input's shape with every reduced axis set to 1: where g is reshaped before it broadcasts back. */
    protected final int[] keptShape() {
        return keptShape(inputShape, axes);
    }

    /** The result with the reduced axes as size 1 ({@code kept}), turned into the result the caller asked for. */
    protected final Tensor withKeepDim(Tensor kept) {
        return keepDim ? kept : kept.reshape(droppedShape(kept.shape(), axes));
    }

    /** Axes made non-negative, sorted, checked to be distinct and in range; an empty array means every axis. */
    static int[] normalize(String op, int[] axes, int rank) {
        if (axes.length == 0) {
            int[] all = new int[rank];
            for (int i = 0; i < rank; i++) all[i] = i;
            return all;
        }
        int[] out = new int[axes.length];
        for (int i = 0; i < axes.length; i++) {
            int a = axes[i] < 0 ? axes[i] + rank : axes[i];
            if (a < 0 || a >= rank) {
                throw new IllegalArgumentException(op + ": axis " + axes[i] + " out of range for rank " + rank);
            }
            out[i] = a;
        }
        Arrays.sort(out);
        for (int i = 1; i < out.length; i++) {
            if (out[i] == out[i - 1]) throw new IllegalArgumentException(op + ": axis " + out[i] + " given twice");
        }
        return out;
    }

    /** The shape with every reduced axis set to 1: where a reduction's gradient is reshaped before broadcasting. */
    static int[] keptShape(int[] shape, int[] axes) {
        int[] kept = shape.clone();
        for (int a : axes) kept[a] = 1;
        return kept;
    }

    /** The shape with the reduced axes removed: a reduction's result without keepDim. */
    static int[] droppedShape(int[] shape, int[] axes) {
        int[] dropped = new int[shape.length - axes.length];
        for (int a = 0, j = 0, k = 0; a < shape.length; a++) {
            if (k < axes.length && axes[k] == a) k++;
            else dropped[j++] = shape[a];
        }
        return dropped;
    }

    /** How many elements each output element of the reduction summarises. */
    static long count(int[] shape, int[] axes) {
        long n = 1;
        for (int a : axes) n *= shape[a];
        return n;
    }
}
