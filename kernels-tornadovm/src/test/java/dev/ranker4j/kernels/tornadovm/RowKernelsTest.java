package dev.ranker4j.kernels.tornadovm;

import dev.ranker4j.kernels.ArrayKernels;
import static dev.ranker4j.kernels.tornadovm.DeviceTestSupport.REFERENCE;
import static dev.ranker4j.kernels.tornadovm.DeviceTestSupport.assertClose;
import static dev.ranker4j.kernels.tornadovm.DeviceTestSupport.random;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Random;

import dev.ranker4j.kernels.ReduceOp;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Softmax, layer norm and row reductions on the device, forward and backward, against the reference. */
class RowKernelsTest {

    @Property(tries = 10)
    void softmaxForwardAndBackward(@ForAll @IntRange(min = 1, max = 40) int rows,
                                   @ForAll @IntRange(min = 1, max = 300) int n, @ForAll boolean log,
                                   @ForAll boolean masked, @ForAll @IntRange(min = 1, max = 4) int maskRowRepeat,
                                   @ForAll long seed) {
        TornadoBackend device = DeviceTestSupport.backend();
        Random random = new Random(seed);
        float[] x = random(random, 3 + rows * n);
        float[] mask = null;
        if (masked) {
            mask = new float[2 + ((rows - 1) / maskRowRepeat + 1) * n];
            for (int i = 0; i < mask.length; i++) mask[i] = random.nextInt(4) == 0 ? -10000f : 0f;
        }
        float[] expected = new float[rows * n + 1], actual = new float[rows * n + 1];
        ArrayKernels.softmaxRows(REFERENCE, x, 3, mask, 2, maskRowRepeat, rows, n, log, expected, 1);
        ArrayKernels.softmaxRows(device, x, 3, mask, 2, maskRowRepeat, rows, n, log, actual, 1);
        assertClose("softmax rows=" + rows + " n=" + n + " log=" + log, expected, actual, 2e-5);

        float[] dy = random(random, rows * n + 1);
        float[] dxExpected = new float[rows * n], dxActual = new float[rows * n];
        ArrayKernels.softmaxBackwardRows(REFERENCE, expected, 1, dy, 1, rows, n, log, dxExpected, 0);
        ArrayKernels.softmaxBackwardRows(device, expected, 1, dy, 1, rows, n, log, dxActual, 0);
        assertClose("softmax backward rows=" + rows + " n=" + n + " log=" + log, dxExpected, dxActual, 1e-4);
    }

    @Property(tries = 10)
    void layerNormForwardAndBackward(@ForAll @IntRange(min = 1, max = 40) int rows,
                                     @ForAll @IntRange(min = 1, max = 400) int n, @ForAll boolean affine,
                                     @ForAll long seed) {
        TornadoBackend device = DeviceTestSupport.backend();
        Random random = new Random(seed);
        float[] x = random(random, 2 + rows * n);
        for (int i = 0; i < x.length; i++) x[i] = 3f + 2f * x[i];          // a mean and scale away from 0 and 1
        float[] gamma = affine ? random(random, n) : null, beta = affine ? random(random, n) : null;
        float[] expected = new float[rows * n], actual = new float[rows * n];
        float[] meanExpected = new float[rows], rstdExpected = new float[rows];
        float[] meanActual = new float[rows], rstdActual = new float[rows];
        ArrayKernels.layerNormRows(REFERENCE, x, 2, gamma, beta, 1e-12f, rows, n, expected, 0, meanExpected, rstdExpected);
        ArrayKernels.layerNormRows(device, x, 2, gamma, beta, 1e-12f, rows, n, actual, 0, meanActual, rstdActual);
        assertClose("layer norm mean", meanExpected, meanActual, 1e-5);
        assertClose("layer norm rstd", rstdExpected, rstdActual, 1e-4);
        assertClose("layer norm rows=" + rows + " n=" + n, expected, actual, 1e-4);

        float[] dy = random(random, 1 + rows * n);
        float[] dxExpected = new float[rows * n], dxActual = new float[rows * n];
        float[] dGammaExpected = affine ? random(random, n) : null;                 // gradients accumulate
        float[] dBetaExpected = affine ? random(random, n) : null;
        float[] dGammaActual = affine ? dGammaExpected.clone() : null, dBetaActual = affine ? dBetaExpected.clone() : null;
        ArrayKernels.layerNormBackwardRows(REFERENCE, x, 2, gamma, meanExpected, rstdExpected, dy, 1, rows, n, dxExpected, 0,
                dGammaExpected, dBetaExpected);
        ArrayKernels.layerNormBackwardRows(device, x, 2, gamma, meanExpected, rstdExpected, dy, 1, rows, n, dxActual, 0,
                dGammaActual, dBetaActual);
        assertClose("layer norm dx", dxExpected, dxActual, 2e-4);
        if (affine) {
            assertClose("layer norm dGamma", dGammaExpected, dGammaActual, 1e-4);
            assertClose("layer norm dBeta", dBetaExpected, dBetaActual, 1e-4);
        }
    }

    @Property(tries = 10)
    void reduceRowsAndArgmax(@ForAll ReduceOp op, @ForAll @IntRange(min = 1, max = 50) int rows,
                             @ForAll @IntRange(min = 1, max = 500) int n, @ForAll long seed) {
        TornadoBackend device = DeviceTestSupport.backend();
        Random random = new Random(seed);
        float[] x = random(random, 5 + rows * n);
        for (int i = 0; i < x.length; i += 7) x[i] = x[(i * 31) % x.length];   // some ties for argmax
        float[] expected = new float[rows + 1], actual = new float[rows + 1];
        ArrayKernels.reduceRows(REFERENCE, op, x, 5, rows, n, expected, 1);
        ArrayKernels.reduceRows(device, op, x, 5, rows, n, actual, 1);
        assertClose(op + " rows=" + rows + " n=" + n, expected, actual, 1e-5 * Math.max(1, Math.sqrt(n)));

        int[] argmaxExpected = new int[rows], argmaxActual = new int[rows];
        ArrayKernels.argmaxRows(REFERENCE, x, 5, rows, n, argmaxExpected, 0);
        ArrayKernels.argmaxRows(device, x, 5, rows, n, argmaxActual, 0);
        assertArrayEquals(argmaxExpected, argmaxActual, "argmax rows=" + rows + " n=" + n);
    }
}
