package dev.ranker4j.autograd.nn;

import dev.ranker4j.tensor.DType;
import dev.ranker4j.tensor.Tensor;

import java.util.random.RandomGenerator;

/** Weight initialisation and dropout masks from a seedable generator: the same seed gives the same model. */
public final class Init {
    private Init() {}

    /** N(0, std²) entries, BERT's initialiser (std = initializer_range, 0.02). */
    public static Tensor normal(RandomGenerator random, double std, DType dtype, int... shape) {
        double[] data = new double[Math.toIntExact(count(shape))];
        for (int i = 0; i < data.length; i++) data[i] = std * random.nextGaussian();
        return Tensor.fromArray(data, shape).to(dtype);
    }

    /** A 0/1 mask with P(1) = 1 − p: which elements dropout keeps. */
    public static Tensor keepMask(RandomGenerator random, double p, DType dtype, int... shape) {
        double[] data = new double[Math.toIntExact(count(shape))];
        for (int i = 0; i < data.length; i++) data[i] = random.nextDouble() >= p ? 1 : 0;
        return Tensor.fromArray(data, shape).to(dtype);
    }

    private static long count(int[] shape) {
        long n = 1;
        for (int s : shape) n *= s;
        return n;
    }
}
