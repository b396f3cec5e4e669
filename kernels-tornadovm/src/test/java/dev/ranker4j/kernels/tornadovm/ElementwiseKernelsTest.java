package dev.ranker4j.kernels.tornadovm;

import dev.ranker4j.kernels.ArrayKernels;
import static dev.ranker4j.kernels.tornadovm.DeviceTestSupport.REFERENCE;
import static dev.ranker4j.kernels.tornadovm.DeviceTestSupport.assertClose;
import static dev.ranker4j.kernels.tornadovm.DeviceTestSupport.random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import dev.ranker4j.kernels.BinaryOp;
import dev.ranker4j.kernels.DeviceBackend.TransferCounts;
import dev.ranker4j.kernels.UnaryOp;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Unary ops (GELU both ways and their derivatives included), broadcasting binary ops, where and copy. */
class ElementwiseKernelsTest {

    @Property(tries = 60)
    void unaryMatchesScalarMath(@ForAll UnaryOp op, @ForAll @IntRange(min = 1, max = 3000) int n, @ForAll long seed) {
        TornadoBackend device = DeviceTestSupport.backend();
        Random random = new Random(seed);
        float[] x = random(random, n + 2);
        if (op == UnaryOp.LOG || op == UnaryOp.SQRT || op == UnaryOp.RSQRT || op == UnaryOp.POW) {
            for (int i = 0; i < x.length; i++) x[i] = Math.abs(x[i]) + 0.1f;     // inside the domain
        }
        double param = op == UnaryOp.POW ? 1.7 : 0.3;
        float[] expected = new float[n], actual = new float[n];
        ArrayKernels.unary(REFERENCE, op, param, x, 2, expected, 0, n);
        ArrayKernels.unary(device, op, param, x, 2, actual, 0, n);
        assertClose(op + " n=" + n, expected, actual, 3e-6);
    }

    /**
     * Every op of the table, not a random sample of them: the kernel's op numbers are {@link UnaryOp}'s ordinals
     * folded into the compiled kernel, so an op numbered wrong computes another function (or 0). The ops the kernel
     * implements launch on the device; the others (SIN) run on the host and launch nothing.
     */
    @Example
    void everyUnaryOpMatchesItsDefinitionWhereItRuns() {
        TornadoBackend device = DeviceTestSupport.backend();
        Random random = new Random(7);
        int n = 1031;
        for (UnaryOp op : UnaryOp.values()) {
            float[] x = random(random, n + 2);
            if (op == UnaryOp.LOG || op == UnaryOp.SQRT || op == UnaryOp.RSQRT || op == UnaryOp.POW) {
                for (int i = 0; i < x.length; i++) x[i] = Math.abs(x[i]) + 0.1f;
            }
            double param = op == UnaryOp.POW ? 1.7 : 0.3;
            float[] expected = new float[n], actual = new float[n];
            ArrayKernels.unary(REFERENCE, op, param, x, 2, expected, 0, n);
            TransferCounts before = device.transfers();
            ArrayKernels.unary(device, op, param, x, 2, actual, 0, n);
            TransferCounts call = device.transfers().minus(before);
            if (UnaryKernel.supports(op)) {
                assertTrue(call.kernelLaunches() >= 1, op + " should run on the device: " + call);
                assertEquals(0, call.deviceToHostCount(), op + " output should stay on the device: " + call);
            } else {
                assertEquals(0, call.kernelLaunches(), op + " should run on the host: " + call);
            }
            assertClose(op + " n=" + n, expected, actual, 3e-6);
        }
    }

    @Property(tries = 25)
    void binaryBroadcastsLikeReference(@ForAll BinaryOp op, @ForAll @IntRange(min = 1, max = 7) int d0,
                                       @ForAll @IntRange(min = 1, max = 9) int d1,
                                       @ForAll @IntRange(min = 1, max = 33) int d2, @ForAll boolean broadcastRows,
                                       @ForAll long seed) {
        TornadoBackend device = DeviceTestSupport.backend();
        Random random = new Random(seed);
        int[] shape = {d0, d1, d2};
        int[] aStrides = {d1 * d2, d2, 1};
        int[] bStrides = broadcastRows ? new int[]{0, 0, 1} : new int[]{1, d0, d0 * d1};   // broadcast or transposed
        float[] a = random(random, 1 + d0 * d1 * d2);
        float[] b = random(random, 4 + d0 * d1 * d2);
        if (op == BinaryOp.POW) for (int i = 0; i < a.length; i++) a[i] = Math.abs(a[i]) + 0.1f;
        if (op == BinaryOp.EQ || op == BinaryOp.NE) for (int i = 0; i < a.length; i += 3) a[i] = b[i % b.length];
        int size = d0 * d1 * d2;
        float[] expected = new float[size], actual = new float[size];
        ArrayKernels.binary(REFERENCE, op, shape, a, 1, aStrides, b, 4, bStrides, expected, 0);
        ArrayKernels.binary(device, op, shape, a, 1, aStrides, b, 4, bStrides, actual, 0);
        assertClose(op + " " + d0 + "x" + d1 + "x" + d2, expected, actual, 1e-5);
    }

    @Property(tries = 10)
    void whereAndCopyFollowStrides(@ForAll @IntRange(min = 1, max = 11) int rows,
                                   @ForAll @IntRange(min = 1, max = 37) int cols, @ForAll long seed) {
        TornadoBackend device = DeviceTestSupport.backend();
        Random random = new Random(seed);
        int[] shape = {rows, cols};
        float[] cond = new float[cols];
        for (int j = 0; j < cols; j++) cond[j] = random.nextBoolean() ? 1f : 0f;
        float[] a = random(random, rows * cols), b = random(random, rows);
        float[] expected = new float[rows * cols], actual = new float[rows * cols];
        ArrayKernels.where(REFERENCE, shape, cond, 0, new int[]{0, 1}, a, 0, new int[]{1, rows}, b, 0, new int[]{1, 0},
                expected, 0);
        ArrayKernels.where(device, shape, cond, 0, new int[]{0, 1}, a, 0, new int[]{1, rows}, b, 0, new int[]{1, 0}, actual, 0);
        assertClose("where " + rows + "x" + cols, expected, actual, 0);

        float[] src = random(random, 3 + rows * cols);                            // a transposed view
        ArrayKernels.copy(REFERENCE, shape, src, 3, new int[]{1, rows}, expected, 0);
        ArrayKernels.copy(device, shape, src, 3, new int[]{1, rows}, actual, 0);
        assertClose("copy " + rows + "x" + cols, expected, actual, 0);
    }
}
