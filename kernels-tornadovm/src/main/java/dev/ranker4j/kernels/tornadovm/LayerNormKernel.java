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
final class LayerNormKernel {
    static final int GROUP = 64;
    // Positions in device memory, then the shape and flags.
    static final int X_AT = 0, GAMMA_AT = 1, BETA_AT = 2, OUT_AT = 3, MEAN_AT = 4, RSTD_AT = 5, DY_AT = 6, DX_AT = 7,
            DGAMMA_AT = 8, DBETA_AT = 9, ROWS = 10, N = 11, HAS_GAMMA = 12, HAS_BETA = 13, HAS_DGAMMA = 14,
            HAS_DBETA = 15, PARAMS = 16;

    /** s[0] = eps. gamma/beta are read only when flagged. */
    public static void forward(KernelContext context, IntArray p, FloatArray s, FloatArray mem) {
        int n = p.get(N);
        int row = context.groupIdx;
        int item = context.localIdx;
        int x = p.get(X_AT) + row * n;
        int out = p.get(OUT_AT) + row * n;
        int gamma = p.get(GAMMA_AT);
        int beta = p.get(BETA_AT);
        float[] partial = context.allocateFloatLocalArray(GROUP);

        float sum = 0.0f;
        for (int j = item; j < n; j += GROUP) {
            sum += mem.get(x + j);
        }
        float mu = GroupReduction.sum(context, partial, item, GROUP, sum) / n;

        float squares = 0.0f;
        for (int j = item; j < n; j += GROUP) {
            float centered = mem.get(x + j) - mu;
            squares += centered * centered;
        }
        float variance = GroupReduction.sum(context, partial, item, GROUP, squares) / n;
        float inverseStd = 1.0f / TornadoMath.sqrt(variance + s.get(0));

        for (int j = item; j < n; j += GROUP) {
            float y = (mem.get(x + j) - mu) * inverseStd;
            if (p.get(HAS_GAMMA) == 1) {
                y = y * mem.get(gamma + j);
            }
            if (p.get(HAS_BETA) == 1) {
                y = y + mem.get(beta + j);
            }
            mem.set(out + j, y);
        }
        if (item == 0) {
            mem.set(p.get(MEAN_AT) + row, mu);
            mem.set(p.get(RSTD_AT) + row, inverseStd);
        }
    }

    public static void backwardInput(KernelContext context, IntArray p, FloatArray mem) {
        int n = p.get(N);
        int row = context.groupIdx;
        int item = context.localIdx;
        int x = p.get(X_AT) + row * n;
        int dy = p.get(DY_AT) + row * n;
        int dx = p.get(DX_AT) + row * n;
        int gamma = p.get(GAMMA_AT);
        float mu = mem.get(p.get(MEAN_AT) + row);
        float inverseStd = mem.get(p.get(RSTD_AT) + row);
        float[] partial = context.allocateFloatLocalArray(GROUP);

        float gSum = 0.0f;
        float gxSum = 0.0f;
        for (int j = item; j < n; j += GROUP) {
            float xHat = (mem.get(x + j) - mu) * inverseStd;
            float g = mem.get(dy + j);
            if (p.get(HAS_GAMMA) == 1) {
                g = g * mem.get(gamma + j);
            }
            gSum += g;
            gxSum += g * xHat;
        }
        float gMean = GroupReduction.sum(context, partial, item, GROUP, gSum) / n;
        float gxMean = GroupReduction.sum(context, partial, item, GROUP, gxSum) / n;

        for (int j = item; j < n; j += GROUP) {
            float xHat = (mem.get(x + j) - mu) * inverseStd;
            float g = mem.get(dy + j);
            if (p.get(HAS_GAMMA) == 1) {
                g = g * mem.get(gamma + j);
            }
            mem.set(dx + j, inverseStd * (g - gMean - xHat * gxMean));
        }
    }

    /** One work item per column j: dGamma[j] += Σ_r dy·x̂, dBeta[j] += Σ_r dy, rows in order. */
    public static void backwardParameters(KernelContext context, IntArray p, FloatArray mem) {
        int rows = p.get(ROWS);
        int n = p.get(N);
        int j = context.globalIdx;
        if (j < n) {
            int x = p.get(X_AT);
            int dy = p.get(DY_AT);
            int mean = p.get(MEAN_AT);
            int rstd = p.get(RSTD_AT);
            float gammaSum = 0.0f;
            float betaSum = 0.0f;
            if (p.get(HAS_DGAMMA) == 1) {
                gammaSum = mem.get(p.get(DGAMMA_AT) + j);
            }
            if (p.get(HAS_DBETA) == 1) {
                betaSum = mem.get(p.get(DBETA_AT) + j);
            }
            for (int r = 0; r < rows; r++) {
                float xHat = (mem.get(x + r * n + j) - mem.get(mean + r)) * mem.get(rstd + r);
                gammaSum += mem.get(dy + r * n + j) * xHat;
                betaSum += mem.get(dy + r * n + j);
            }
            if (p.get(HAS_DGAMMA) == 1) {
                mem.set(p.get(DGAMMA_AT) + j, gammaSum);
            }
            if (p.get(HAS_DBETA) == 1) {
                mem.set(p.get(DBETA_AT) + j, betaSum);
            }
        }
    }

    private final DeviceArrays arrays;
    private final DeviceProgram.Kernel forward, backwardInput, backwardParameters;

    LayerNormKernel(DeviceProgram program, DeviceArrays arrays) {
        this.arrays = arrays;
        forward = program.kernel("layerNorm", new WorkerGrid1D(GROUP), PARAMS, 1, List.of(), List.of(),
                (g, p, s, m) -> g.task(DeviceProgram.TASK, LayerNormKernel::forward, new KernelContext(), p, s, m));
        backwardInput = program.kernel("layerNormBackward", new WorkerGrid1D(GROUP), PARAMS, 0, List.of(), List.of(),
                (g, p, s, m) -> g.task(DeviceProgram.TASK, LayerNormKernel::backwardInput, new KernelContext(), p, m));
        backwardParameters = program.kernel("layerNormParamGrads", new WorkerGrid1D(GROUP), PARAMS, 0, List.of(),
                List.of(), (g, p, s, m) -> g.task(DeviceProgram.TASK, LayerNormKernel::backwardParameters,
                        new KernelContext(), p, m));
    }

    void forward(float[] x, int xOff, float[] gamma, float[] beta, float epsilon, int rows, int n,
                 float[] out, int outOff, float[] mean, float[] rstd) {
        if (rows == 0 || n == 0) return;
        int size = rows * n;
        int[] p = new int[PARAMS];
        p[X_AT] = arrays.read(x) + xOff;
        p[GAMMA_AT] = gamma == null ? 0 : arrays.read(gamma);
        p[BETA_AT] = beta == null ? 0 : arrays.read(beta);
        p[OUT_AT] = arrays.write(out, outOff, outOff + size) + outOff;
        p[MEAN_AT] = arrays.write(mean, 0, rows);
        p[RSTD_AT] = arrays.write(rstd, 0, rows);
        p[ROWS] = rows;
        p[N] = n;
        p[HAS_GAMMA] = gamma == null ? 0 : 1;
        p[HAS_BETA] = beta == null ? 0 : 1;
        forward.params(p);
        forward.scalars.set(0, epsilon);
        forward.launch((long) rows * GROUP, 1, 1, GROUP, 1, 1);
    }

    void backward(float[] x, int xOff, float[] gamma, float[] mean, float[] rstd, float[] dy, int dyOff,
                  int rows, int n, float[] dx, int dxOff, float[] dGamma, float[] dBeta) {
        if (rows == 0 || n == 0) return;
        int size = rows * n;
        int[] p = new int[PARAMS];
        p[X_AT] = arrays.read(x) + xOff;
        p[GAMMA_AT] = gamma == null ? 0 : arrays.read(gamma);
        p[MEAN_AT] = arrays.read(mean);
        p[RSTD_AT] = arrays.read(rstd);
        p[DY_AT] = arrays.read(dy) + dyOff;
        p[DX_AT] = arrays.write(dx, dxOff, dxOff + size) + dxOff;
        p[ROWS] = rows;
        p[N] = n;
        p[HAS_GAMMA] = gamma == null ? 0 : 1;
        backwardInput.params(p);
        backwardInput.launch((long) rows * GROUP, 1, 1, GROUP, 1, 1);

        if (dGamma == null && dBeta == null) return;
        p[DGAMMA_AT] = dGamma == null ? 0 : arrays.readWrite(dGamma);
        p[DBETA_AT] = dBeta == null ? 0 : arrays.readWrite(dBeta);
        p[HAS_DGAMMA] = dGamma == null ? 0 : 1;
        p[HAS_DBETA] = dBeta == null ? 0 : 1;
        backwardParameters.params(p);
        backwardParameters.launch1D(n, GROUP);
    }
}
