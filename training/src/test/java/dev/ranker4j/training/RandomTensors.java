package dev.ranker4j.training;

import dev.ranker4j.tensor.Tensor;

import java.util.SplittableRandom;

/** Random F64 test tensors. */
public final class RandomTensors {
    private RandomTensors() {}

    /** Uniform in (−scale, scale). */
    public static Tensor random(SplittableRandom r, double scale, int... shape) {
        int n = 1;
        for (int s : shape) n *= s;
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = (r.nextDouble() * 2 - 1) * scale;
        return Tensor.fromArray(v, shape);
    }
}
