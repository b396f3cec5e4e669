package dev.ranker4j.tensor;

import java.util.Random;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** Plain helpers the tests compute their expected values with: index loops and element reads, nothing clever. */
final class TestSupport {
    private TestSupport() {}

    /** A contiguous tensor of values uniform in [-2, 2). */
    static Tensor random(DType dtype, Random random, int... shape) {
        double[] values = new double[(int) Shape.size(shape)];
        for (int i = 0; i < values.length; i++) values[i] = random.nextDouble() * 4 - 2;
        return Tensor.fromArray(values, shape).to(dtype);
    }

    /** Calls {@code action} with every index of {@code shape} in row-major order (the array is reused). */
    static void forEachIndex(int[] shape, Consumer<int[]> action) {
        long size = Shape.size(shape);
        int[] index = new int[shape.length];
        for (long i = 0; i < size; i++) {
            action.accept(index);
            for (int axis = shape.length - 1; axis >= 0; axis--) {
                if (++index[axis] < shape[axis]) break;
                index[axis] = 0;
            }
        }
    }

    /** Tolerance for comparing a result in {@code dtype} against a double-precision computation. */
    static double tolerance(DType dtype) {
        return dtype == DType.F32 ? 2e-5 : 1e-12;
    }

    static void assertClose(double expected, double actual, double tolerance, String what) {
        if (Double.isNaN(expected) && Double.isNaN(actual)) return;
        if (expected == actual) return;
        double scale = Math.max(1, Math.abs(expected));
        if (!(Math.abs(expected - actual) <= tolerance * scale)) {
            fail(what + ": expected " + expected + " but got " + actual);
        }
    }

    /** Asserts every element of {@code actual} against {@code expected(index)}. */
    static void assertElements(Tensor actual, int[] shape, java.util.function.ToDoubleFunction<int[]> expected,
                               double tolerance, String what) {
        assertEquals(Shape.format(shape), Shape.format(actual.shape()), what + ": shape");
        forEachIndex(shape, index -> assertClose(expected.applyAsDouble(index), actual.get(index), tolerance,
                what + " at " + java.util.Arrays.toString(index)));
    }

    /** A random shape of the given rank with sizes in [1, maxSize]. */
    static int[] randomShape(Random random, int rank, int maxSize) {
        int[] shape = new int[rank];
        for (int i = 0; i < rank; i++) shape[i] = 1 + random.nextInt(maxSize);
        return shape;
    }

    /** A one-element view of t at index ix (to write single elements through fill). */
    static Tensor element(Tensor t, int[] ix) {
        Tensor view = t;
        for (int axis = 0; axis < ix.length; axis++) view = view.narrow(axis, ix[axis], 1);
        return view;
    }
}
