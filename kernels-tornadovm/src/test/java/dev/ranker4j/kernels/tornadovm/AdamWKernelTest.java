package dev.ranker4j.kernels.tornadovm;

import dev.ranker4j.kernels.ArrayKernels;
import static dev.ranker4j.kernels.tornadovm.DeviceTestSupport.REFERENCE;
import static dev.ranker4j.kernels.tornadovm.DeviceTestSupport.assertClose;
import static dev.ranker4j.kernels.tornadovm.DeviceTestSupport.random;

import java.util.Random;

import dev.ranker4j.kernels.AdamWStep;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The AdamW update on the device against {@code Backend.adamW}'s float loop: several steps in a row on the same
 * arrays (so the second step starts from device-resident parameter and moments), with and without weight decay.
 */
class AdamWKernelTest {

    @Property(tries = 12)
    void threeStepsMatchTheReferenceLoop(@ForAll @IntRange(min = 1, max = 5000) int n, @ForAll boolean decay,
                                         @ForAll long seed) {
        TornadoBackend device = DeviceTestSupport.backend();
        Random random = new Random(seed);
        float[] theta = random(random, n), m = new float[n], v = new float[n];
        float[] thetaRef = theta.clone(), mRef = m.clone(), vRef = v.clone();
        double lr = 1e-3, beta1 = 0.9, beta2 = 0.999, lambda = decay ? 0.01 : 0;
        for (int t = 1; t <= 3; t++) {
            float[] grad = random(random, n);
            AdamWStep step = new AdamWStep(1 - lr * lambda, lr / (1 - Math.pow(beta1, t)), beta1, beta2,
                    Math.sqrt(1 - Math.pow(beta2, t)), 1e-8);
            ArrayKernels.adamW(REFERENCE, step, thetaRef, grad, mRef, vRef, n);
            ArrayKernels.adamW(device, step, theta, grad, m, v, n);
            assertClose("theta after step " + t + ", n=" + n, thetaRef, theta, 1e-6);
            assertClose("m after step " + t, mRef, m, 1e-6);
            assertClose("v after step " + t, vRef, v, 1e-6);
        }
    }
}
