package dev.ranker4j.tensor;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Random;
import java.util.function.Function;

import static dev.ranker4j.tensor.TestSupport.assertElements;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SoftmaxAndLayerNormTest {

    /** softmax along {@code axis} of x + mask (mask broadcast), by loops over get(). */
    private static double naiveSoftmax(Tensor x, Tensor mask, int axis, int[] ix, boolean log) {
        int[] j = ix.clone();
        double max = Double.NEGATIVE_INFINITY;
        double[] row = new double[x.size(axis)];
        for (int t = 0; t < row.length; t++) {
            j[axis] = t;
            row[t] = x.get(j) + (mask == null ? 0 : mask.broadcastTo(x.shape()).get(j));
            max = Math.max(max, row[t]);
        }
        double sum = 0;
        for (double v : row) sum += Math.exp(v - max);
        double logProbability = row[ix[axis]] - max - Math.log(sum);
        return log ? logProbability : Math.exp(logProbability);
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"F32", "F64"})
    void softmaxWithEveryMaskLayoutMatchesTheLoop(DType dtype) {
        Random random = new Random(11);
        int[] shape = {2, 3, 4, 5};
        Tensor x = TestSupport.random(dtype, random, shape);
        Tensor[] masks = {
                null,
                TestSupport.random(dtype, random, 2, 1, 1, 5),   // attention padding mask: row repeat 12, in place
                TestSupport.random(dtype, random, 4, 5),          // causal-style: materialised
                TestSupport.random(dtype, random, 2, 3, 4, 5),    // full mask
                TestSupport.random(dtype, random, 5),             // one row for all
                TestSupport.random(dtype, random, 5, 4).transpose(0, 1), // strided: materialised
        };
        double tol = TestSupport.tolerance(dtype) * 2;
        for (Tensor mask : masks) {
            for (boolean log : new boolean[]{false, true}) {
                Tensor y = log ? x.logSoftmax(-1, mask) : x.softmax(-1, mask);
                assertElements(y, shape, ix -> naiveSoftmax(x, mask, 3, ix, log), tol, "softmax log=" + log + " mask " + (mask == null ? "none" : Shape.format(mask.shape())));
            }
        }
        Tensor mask = TestSupport.random(dtype, random, 2, 1, 4, 1);
        assertElements(x.softmax(1, mask), shape, ix -> naiveSoftmax(x, mask, 1, ix, false), tol, "softmax axis 1");
        assertElements(x.logSoftmax(0), shape, ix -> naiveSoftmax(x, null, 0, ix, true), tol, "logSoftmax axis 0");
    }

    @Test
    void aMaskOfMinusInfinityDropsPositions() {
        Tensor x = Tensor.fromArray(new double[]{1, 2, 3}, 1, 3);
        Tensor mask = Tensor.fromArray(new double[]{0, Double.NEGATIVE_INFINITY, 0}, 3);
        Tensor y = x.softmax(-1, mask);
        assertEquals(0, y.get(0, 1));
        assertEquals(1, y.get(0, 0) + y.get(0, 2), 1e-15);
    }

    /** Central finite differences of L = Σ dy ⊙ f(x) with respect to each element of x, in F64. */
    private static Tensor numericGradient(Function<Tensor, Tensor> f, Tensor x, Tensor dy) {
        double h = 1e-6;
        Tensor gradient = Tensor.zeros(DType.F64, x.shape());
        TestSupport.forEachIndex(x.shape(), ix -> {
            Tensor plus = x.copy(), minus = x.copy();
            TestSupport.element(plus, ix).fill(x.get(ix) + h);
            TestSupport.element(minus, ix).fill(x.get(ix) - h);
            double difference = f.apply(plus).mul(dy).sum().item() - f.apply(minus).mul(dy).sum().item();
            TestSupport.element(gradient, ix).fill(difference / (2 * h));
        });
        return gradient;
    }

    @Test
    void softmaxBackwardMatchesFiniteDifferences() {
        Random random = new Random(5);
        Tensor x = TestSupport.random(DType.F64, random, 3, 4), dy = TestSupport.random(DType.F64, random, 3, 4);
        for (int axis : new int[]{0, 1}) {
            Tensor expected = numericGradient(t -> t.softmax(axis), x, dy);
            assertElements(Gradients.softmax(x.softmax(axis), dy, axis), x.shape(), expected::get, 1e-8, "softmax backward");
            Tensor expectedLog = numericGradient(t -> t.logSoftmax(axis), x, dy);
            assertElements(Gradients.logSoftmax(x.logSoftmax(axis), dy, axis), x.shape(), expectedLog::get, 1e-8, "logSoftmax backward");
        }
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"F32", "F64"})
    void layerNormMatchesItsDefinition(DType dtype) {
        Random random = new Random(9);
        Tensor x = TestSupport.random(dtype, random, 2, 3, 6).transpose(0, 1);  // strided input [3, 2, 6]
        Tensor gamma = TestSupport.random(dtype, random, 6), beta = TestSupport.random(dtype, random, 8).narrow(0, 2, 6);
        double eps = 1e-5;
        LayerNormResult result = x.layerNorm(gamma, beta, eps);
        assertArrayEquals(new int[]{3, 2}, result.mean().shape());
        assertElements(result.output(), x.shape(), ix -> {
            double mean = 0, var = 0;
            int[] j = ix.clone();
            for (int t = 0; t < 6; t++) { j[2] = t; mean += x.get(j) / 6; }
            for (int t = 0; t < 6; t++) { j[2] = t; var += (x.get(j) - mean) * (x.get(j) - mean) / 6; }
            return (x.get(ix) - mean) / Math.sqrt(var + eps) * gamma.get(ix[2]) + beta.get(ix[2]);
        }, TestSupport.tolerance(dtype) * 4, "layerNorm");
        Tensor plain = x.layerNorm(null, null, eps).output();
        assertElements(plain.mean(-1, false), new int[]{3, 2}, ix -> 0, 1e-5, "normalised mean");
    }

    @Test
    void layerNormBackwardMatchesFiniteDifferences() {
        Random random = new Random(13);
        Tensor x = TestSupport.random(DType.F64, random, 3, 5), dy = TestSupport.random(DType.F64, random, 3, 5);
        Tensor gamma = TestSupport.random(DType.F64, random, 5), beta = TestSupport.random(DType.F64, random, 5);
        LayerNormGradients gradients = Gradients.layerNorm(x, gamma, x.layerNorm(gamma, beta, 1e-5), dy);
        Tensor dx = numericGradient(t -> t.layerNorm(gamma, beta, 1e-5).output(), x, dy);
        Tensor dGamma = numericGradient(g -> x.layerNorm(g, beta, 1e-5).output(), gamma, dy);
        Tensor dBeta = numericGradient(b -> x.layerNorm(gamma, b, 1e-5).output(), beta, dy);
        assertElements(gradients.dx(), x.shape(), dx::get, 1e-7, "dx");
        assertElements(gradients.dGamma(), gamma.shape(), dGamma::get, 1e-7, "dGamma");
        assertElements(gradients.dBeta(), beta.shape(), dBeta::get, 1e-7, "dBeta");
    }

    @Test
    void layerNormRejectsMismatchedParameters() {
        Tensor x = Tensor.ones(DType.F32, 2, 4);
        assertEquals("layerNorm: gamma has shape [3], expected [4] for input [2, 4]",
                assertThrows(IllegalArgumentException.class, () -> x.layerNorm(Tensor.ones(DType.F32, 3), null, 1e-5)).getMessage());
    }
}
