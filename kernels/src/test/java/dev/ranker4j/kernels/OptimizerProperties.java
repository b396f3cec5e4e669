package dev.ranker4j.kernels;

import static dev.ranker4j.kernels.KernelCheck.check;
import static dev.ranker4j.kernels.KernelCheck.copy;
import static dev.ranker4j.kernels.KernelCheck.f32;
import static dev.ranker4j.kernels.KernelCheck.f64;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import dev.ranker4j.kernels.KernelCheck.Tolerance;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * {@link Backend#adamW}: the CPU backends against the reference, and the update loop (PyTorch's folded form, in
 * {@link AdamWStep}) against the textbook form with bias-corrected moments, θ ← θ(1 − lr·λ) − lr·m̂ / (√v̂ + ε),
 * m̂ = m / (1 − β₁ᵗ), v̂ = v / (1 − β₂ᵗ) (Loshchilov &amp; Hutter, Algorithm 2).
 */
class OptimizerProperties {

    @Property(tries = 40)
    @Covers({"adamW"})
    void adamWMatchesTheReferenceAndTheTextbookForm(@ForAll boolean f64, @ForAll @IntRange(min = 0, max = 300) int n,
                                                    @ForAll @IntRange(min = 1, max = 50) int t, @ForAll long seed) {
        Random random = new Random(seed);
        double lr = 1e-3 * (1 + random.nextInt(10)), beta1 = 0.9, beta2 = 0.999, lambda = random.nextBoolean() ? 0.01 : 0;
        double eps = 1e-8;
        double[] theta0 = new double[n], grad = new double[n], m0 = new double[n], v0 = new double[n];
        for (int i = 0; i < n; i++) {
            theta0[i] = random.nextGaussian();
            grad[i] = random.nextGaussian() * 0.1;
            m0[i] = random.nextGaussian() * 0.05;
            v0[i] = Math.abs(random.nextGaussian()) * 0.01;
        }
        AdamWStep step = new AdamWStep(1 - lr * lambda, lr / (1 - Math.pow(beta1, t)), beta1, beta2,
                Math.sqrt(1 - Math.pow(beta2, t)), eps);
        Tolerance tolerance = f64 ? new Tolerance(1e-13, 1e-15) : new Tolerance(2e-6, 1e-7);
        check("adamW n=" + n + " t=" + t, backend -> {
            if (f64) {
                double[] theta = copy(theta0), m = copy(m0), v = copy(v0);
                ArrayKernels.adamW(backend, step, theta, grad, m, v, n);
                return new double[][] {theta, m, v};
            }
            float[] theta = f32(theta0), m = f32(m0), v = f32(v0);
            ArrayKernels.adamW(backend, step, theta, f32(grad), m, v, n);
            return new double[][] {f64(theta), f64(m), f64(v)};
        }, tolerance);

        double[] theta = copy(theta0), m = copy(m0), v = copy(v0);
        ArrayKernels.adamW(KernelCheck.REFERENCE, step, theta, grad, m, v, n);
        for (int i = 0; i < n; i++) {
            double mi = beta1 * m0[i] + (1 - beta1) * grad[i], vi = beta2 * v0[i] + (1 - beta2) * grad[i] * grad[i];
            double mHat = mi / (1 - Math.pow(beta1, t)), vHat = vi / (1 - Math.pow(beta2, t));
            double textbook = theta0[i] * (1 - lr * lambda) - lr * mHat / (Math.sqrt(vHat) + eps);
            // Equal algebraically: the loop folds 1/(1 − β₁ᵗ) into stepSize and divides √v by √(1 − β₂ᵗ) (PyTorch's
            // form), so only rounding differs.
            assertTrue(Math.abs(theta[i] - textbook) <= 1e-12 + 1e-10 * Math.abs(textbook),
                    "element " + i + ": loop " + theta[i] + ", textbook " + textbook);
            assertTrue(Math.abs(m[i] - mi) <= 1e-15 && Math.abs(v[i] - vi) <= 1e-15, "moments at " + i);
        }
    }
}
