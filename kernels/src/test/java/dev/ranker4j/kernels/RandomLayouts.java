package dev.ranker4j.kernels;

import java.util.Random;

/**
 * Random inputs for the properties: shapes with odd and size-1 dimensions, and strided views of them (permuted
 * storage order, i.e. transposes; broadcast axes with stride 0; an offset into a larger array).
 */
final class RandomLayouts {
    private RandomLayouts() {}

    /** A view of {@code shape} into an array of {@code storageLength}: position = offset + Σ index·stride. */
    record View(int offset, int[] strides, int storageLength) {}

    /** Rank 0–4; dims 1–7, sometimes one larger dim (up to 40) so rows exceed a vector width. */
    static int[] shape(Random random) {
        int rank = random.nextInt(5);
        int[] shape = new int[rank];
        for (int i = 0; i < rank; i++) shape[i] = 1 + random.nextInt(random.nextInt(4) == 0 ? 40 : 7);
        return shape;
    }

    /** A random layout of {@code shape}; with {@code broadcast}, each axis is stride 0 with probability 1/4. */
    static View view(Random random, int[] shape, boolean broadcast) {
        int rank = shape.length;
        int[] storageShape = shape.clone();
        boolean[] broadcastAxis = new boolean[rank];
        for (int axis = 0; axis < rank; axis++) {
            if (broadcast && random.nextInt(4) == 0) {
                broadcastAxis[axis] = true;
                storageShape[axis] = 1;
            }
        }
        // storage order: a random permutation of the axes (identity half of the time: the common contiguous case)
        int[] order = new int[rank];
        for (int i = 0; i < rank; i++) order[i] = i;
        if (random.nextBoolean()) {
            for (int i = rank - 1; i > 0; i--) {
                int j = random.nextInt(i + 1), t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }
        int[] strides = new int[rank];
        int stride = 1;
        for (int i = rank - 1; i >= 0; i--) {
            int axis = order[i];
            strides[axis] = broadcastAxis[axis] ? 0 : stride;
            stride *= storageShape[axis];
        }
        int offset = random.nextInt(4) == 0 ? random.nextInt(9) : 0;
        return new View(offset, strides, offset + stride + random.nextInt(3));
    }

    static int[] contiguousStrides(int[] shape) {
        int[] strides = new int[shape.length];
        int stride = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            strides[i] = stride;
            stride *= shape[i];
        }
        return strides;
    }

    static int size(int[] shape) {
        return (int) StridedLoop.size(shape);
    }

    /** Uniform values in [−scale, scale], rounded to float so F32 and F64 checks share them. */
    static double[] values(Random random, int length, double scale) {
        double[] values = new double[length];
        for (int i = 0; i < length; i++) values[i] = (float) ((2 * random.nextDouble() - 1) * scale);
        return values;
    }

    /** Values drawn from a handful, so that ties and equal pairs happen (comparisons, argmax, where). */
    static double[] fewValues(Random random, int length) {
        double[] choices = {-2, -1, -0.5, 0, 0.5, 1, 2};
        double[] values = new double[length];
        for (int i = 0; i < length; i++) values[i] = choices[random.nextInt(choices.length)];
        return values;
    }
}
