package dev.ranker4j.kernels.tornadovm;

import java.util.List;

import dev.ranker4j.kernels.AdamWStep;
import dev.ranker4j.kernels.Backend;
import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.WorkerGrid1D;
import uk.ac.manchester.tornado.api.math.TornadoMath;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/**
 * The AdamW update on the device, one work item per element (the formula in {@link AdamWStep}); reference:
 * {@link Backend#adamW}'s float loop, in the same order of operations. Parameter, moments and gradient are device
 * arrays like any other, so a training step on the device moves no weight, gradient or moment over the bus.
 */
final class AdamWKernel {
    static final int GROUP = 64;
    static final int THETA_AT = 0, GRAD_AT = 1, M_AT = 2, V_AT = 3, N = 4, PARAMS = 5;
    static final int DECAY = 0, STEP_SIZE = 1, BETA1 = 2, BETA2 = 3, ONE_MINUS_BETA1 = 4, ONE_MINUS_BETA2 = 5,
            CORRECTION2 = 6, EPS = 7, SCALARS = 8;

    /** θ, m, v updated in place at element i; g read. */
    public static void update(KernelContext context, IntArray p, FloatArray s, FloatArray mem) {
        int i = context.globalIdx;
        if (i < p.get(N)) {
            float g = mem.get(p.get(GRAD_AT) + i);
            float theta = mem.get(p.get(THETA_AT) + i) * s.get(DECAY);
            float m = mem.get(p.get(M_AT) + i) * s.get(BETA1) + g * s.get(ONE_MINUS_BETA1);
            float v = mem.get(p.get(V_AT) + i) * s.get(BETA2) + s.get(ONE_MINUS_BETA2) * g * g;
            float denominator = TornadoMath.sqrt(v) / s.get(CORRECTION2) + s.get(EPS);
            mem.set(p.get(M_AT) + i, m);
            mem.set(p.get(V_AT) + i, v);
            mem.set(p.get(THETA_AT) + i, theta + (-s.get(STEP_SIZE)) * (m / denominator));
        }
    }

    private final DeviceArrays arrays;
    private final DeviceProgram.Kernel kernel;

    AdamWKernel(DeviceProgram program, DeviceArrays arrays) {
        this.arrays = arrays;
        kernel = program.kernel("adamW", new WorkerGrid1D(GROUP), PARAMS, SCALARS, List.of(), List.of(),
                (g, p, s, m) -> g.task(DeviceProgram.TASK, AdamWKernel::update, new KernelContext(), p, s, m));
    }

    /** The update of {@code n} elements; the scalars are rounded to float as {@link Backend#adamW} rounds them. */
    void run(AdamWStep step, float[] theta, float[] grad, float[] m, float[] v, int n) {
        if (n == 0) return;
        int gradAt = arrays.read(grad);
        int thetaAt = arrays.readWrite(theta), mAt = arrays.readWrite(m), vAt = arrays.readWrite(v);
        kernel.params(thetaAt, gradAt, mAt, vAt, n);
        float[] scalars = {(float) step.decayFactor(), (float) step.stepSize(), (float) step.beta1(),
                (float) step.beta2(), (float) (1 - step.beta1()), (float) (1 - step.beta2()),
                (float) step.biasCorrection2Sqrt(), (float) step.eps()};
        for (int i = 0; i < SCALARS; i++) kernel.scalars.set(i, scalars[i]);
        kernel.launch1D(n, GROUP);
    }
}
