package dev.ranker4j.kernels.tornadovm;

import java.util.List;

import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.WorkerGrid1D;
import uk.ac.manchester.tornado.api.math.TornadoMath;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/**
 * Layer norm over rows, forward and backward, on the device.
 * <pre>
 *   forward:  μ = mean(x), rstd = 1/√(mean((x − μ)²) + eps), x̂ = (x − μ)·rstd, y = x̂ ⊙ γ + β   (μ, rstd saved)
 *   backward: g = dy ⊙ γ;  dx = rstd · (g − mean(g) − x̂ · mean(g ⊙ x̂))
 *             dγ += Σ_rows dy ⊙ x̂,  dβ += Σ_rows dy
 * </pre>
 * The row statistics use one work group per row with two-phase reductions ({@link GroupReduction}). dγ and dβ
 * are column sums: one work item per column walks the rows in order, so they are deterministic without atomics.
 * Reference: {@link dev.ranker4j.kernels.ReferenceBackend#layerNormRows} and {@code layerNormBackwardRows}.
 */
final class LayerNormKernel implements AutoCloseable {
    static final int GROUP = 64;
    static final int ROWS = 0, N = 1, HAS_GAMMA = 2, HAS_BETA = 3, PARAMS = 4;

    /** s[0] = eps. gamma/beta are read only when flagged. */
    public static void forward(KernelContext context, IntArray p, FloatArray s, FloatArray x, FloatArray gamma,
                               FloatArray beta, FloatArray out, FloatArray mean, FloatArray rstd) {
        int n = p.get(N);
        int row = context.groupIdx;
        int item = context.localIdx;
        float[] partial = context.allocateFloatLocalArray(GROUP);

        float sum = 0.0f;
        for (int j = item; j < n; j += GROUP) {
            sum += x.get(row * n + j);
        }
        float mu = GroupReduction.sum(context, partial, item, GROUP, sum) / n;

        float squares = 0.0f;
        for (int j = item; j < n; j += GROUP) {
            float centered = x.get(row * n + j) - mu;
            squares += centered * centered;
        }
        float variance = GroupReduction.sum(context, partial, item, GROUP, squares) / n;
        float inverseStd = 1.0f / TornadoMath.sqrt(variance + s.get(0));

        for (int j = item; j < n; j += GROUP) {
            float y = (x.get(row * n + j) - mu) * inverseStd;
            if (p.get(HAS_GAMMA) == 1) {
                y = y * gamma.get(j);
            }
            if (p.get(HAS_BETA) == 1) {
                y = y + beta.get(j);
            }
            out.set(row * n + j, y);
        }
        if (item == 0) {
            mean.set(row, mu);
            rstd.set(row, inverseStd);
        }
    }

    public static void backwardInput(KernelContext context, IntArray p, FloatArray x, FloatArray gamma,
                                     FloatArray mean, FloatArray rstd, FloatArray dy, FloatArray dx) {
        int n = p.get(N);
        int row = context.groupIdx;
        int item = context.localIdx;
        float mu = mean.get(row);
        float inverseStd = rstd.get(row);
        float[] partial = context.allocateFloatLocalArray(GROUP);

        float gSum = 0.0f;
        float gxSum = 0.0f;
        for (int j = item; j < n; j += GROUP) {
            float xHat = (x.get(row * n + j) - mu) * inverseStd;
            float g = dy.get(row * n + j);
            if (p.get(HAS_GAMMA) == 1) {
                g = g * gamma.get(j);
            }
            gSum += g;
            gxSum += g * xHat;
        }
        float gMean = GroupReduction.sum(context, partial, item, GROUP, gSum) / n;
        float gxMean = GroupReduction.sum(context, partial, item, GROUP, gxSum) / n;

        for (int j = item; j < n; j += GROUP) {
            float xHat = (x.get(row * n + j) - mu) * inverseStd;
            float g = dy.get(row * n + j);
            if (p.get(HAS_GAMMA) == 1) {
                g = g * gamma.get(j);
            }
            dx.set(row * n + j, inverseStd * (g - gMean - xHat * gxMean));
        }
    }

    /** One work item per column j: dGamma[j] += Σ_r dy·x̂, dBeta[j] += Σ_r dy, rows in order. */
    public static void backwardParameters(KernelContext context, IntArray p, FloatArray x, FloatArray mean,
                                          FloatArray rstd, FloatArray dy, FloatArray dGamma, FloatArray dBeta) {
        int rows = p.get(ROWS);
        int n = p.get(N);
        int j = context.globalIdx;
        if (j < n) {
            float gammaSum = dGamma.get(j);
            float betaSum = dBeta.get(j);
            for (int r = 0; r < rows; r++) {
                float xHat = (x.get(r * n + j) - mean.get(r)) * rstd.get(r);
                gammaSum += dy.get(r * n + j) * xHat;
                betaSum += dy.get(r * n + j);
            }
            dGamma.set(j, gammaSum);
            dBeta.set(j, betaSum);
        }
    }

    private final IntArray forwardParams = new IntArray(PARAMS);
    private final IntArray backwardParams = new IntArray(PARAMS);
    private final FloatArray eps = new FloatArray(1);
    // Staging order — forward: x, gamma, beta, out, mean, rstd; backward: x, gamma, mean, rstd, dy, dx, dGamma, dBeta.
    private final StagedPlan forwardPlan;
    private final StagedPlan backwardInputPlan;
    private final StagedPlan backwardParametersPlan;

    LayerNormKernel(TransferStats stats) {
        forwardPlan = new StagedPlan(6, s -> new DevicePlan("layerNorm", new WorkerGrid1D(GROUP), stats, List.of(),
                List.of(forwardParams, eps, s[0], s[1], s[2]), List.of(s[3], s[4], s[5]),
                g -> g.task(DevicePlan.TASK, LayerNormKernel::forward, new KernelContext(), forwardParams, eps,
                        s[0], s[1], s[2], s[3], s[4], s[5])));
        backwardInputPlan = new StagedPlan(6, s -> new DevicePlan("layerNormBackward", new WorkerGrid1D(GROUP), stats,
                List.of(), List.of(backwardParams, s[0], s[1], s[2], s[3], s[4]), List.of(s[5]),
                g -> g.task(DevicePlan.TASK, LayerNormKernel::backwardInput, new KernelContext(), backwardParams,
                        s[0], s[1], s[2], s[3], s[4], s[5])));
        backwardParametersPlan = new StagedPlan(6, s -> new DevicePlan("layerNormParamGrads", new WorkerGrid1D(GROUP),
                stats, List.of(), List.of(backwardParams, s[0], s[1], s[2], s[3], s[4], s[5]), List.of(s[4], s[5]),
                g -> g.task(DevicePlan.TASK, LayerNormKernel::backwardParameters, new KernelContext(), backwardParams,
                        s[0], s[1], s[2], s[3], s[4], s[5])));
    }

    void forward(float[] x, int xOff, float[] gamma, float[] beta, float epsilon, int rows, int n,
                 float[] out, int outOff, float[] mean, float[] rstd) {
        if (rows == 0 || n == 0) return;
        int size = rows * n;
        var s = forwardPlan.ensure(size, n, n, size, rows, rows);
        Staging.put(x, xOff, s[0], 0, size);
        if (gamma != null) Staging.put(gamma, 0, s[1], 0, n);
        if (beta != null) Staging.put(beta, 0, s[2], 0, n);
        Staging.put(new int[]{rows, n, gamma == null ? 0 : 1, beta == null ? 0 : 1}, 0, forwardParams, 0, PARAMS);
        eps.set(0, epsilon);
        forwardPlan.plan().launch((long) rows * GROUP, 1, 1, GROUP, 1, 1);
        Staging.get(s[3], 0, out, outOff, size);
        Staging.get(s[4], 0, mean, 0, rows);
        Staging.get(s[5], 0, rstd, 0, rows);
    }

    void backward(float[] x, int xOff, float[] gamma, float[] mean, float[] rstd, float[] dy, int dyOff,
                  int rows, int n, float[] dx, int dxOff, float[] dGamma, float[] dBeta) {
        if (rows == 0 || n == 0) return;
        int size = rows * n;
        Staging.put(new int[]{rows, n, gamma == null ? 0 : 1, 0}, 0, backwardParams, 0, PARAMS);

        var s = backwardInputPlan.ensure(size, n, rows, rows, size, size);
        Staging.put(x, xOff, s[0], 0, size);
        if (gamma != null) Staging.put(gamma, 0, s[1], 0, n);
        Staging.put(mean, 0, s[2], 0, rows);
        Staging.put(rstd, 0, s[3], 0, rows);
        Staging.put(dy, dyOff, s[4], 0, size);
        backwardInputPlan.plan().launch((long) rows * GROUP, 1, 1, GROUP, 1, 1);
        Staging.get(s[5], 0, dx, dxOff, size);

        if (dGamma == null && dBeta == null) return;
        var t = backwardParametersPlan.ensure(size, rows, rows, size, n, n);
        Staging.put(x, xOff, t[0], 0, size);
        Staging.put(mean, 0, t[1], 0, rows);
        Staging.put(rstd, 0, t[2], 0, rows);
        Staging.put(dy, dyOff, t[3], 0, size);
        if (dGamma != null) Staging.put(dGamma, 0, t[4], 0, n);
        if (dBeta != null) Staging.put(dBeta, 0, t[5], 0, n);
        backwardParametersPlan.plan().launch(DevicePlan.roundUp(n, GROUP), 1, 1, GROUP, 1, 1);
        if (dGamma != null) Staging.get(t[4], 0, dGamma, 0, n);
        if (dBeta != null) Staging.get(t[5], 0, dBeta, 0, n);
    }

    @Override
    public void close() {
        forwardPlan.close();
        backwardInputPlan.close();
        backwardParametersPlan.close();
    }
}
