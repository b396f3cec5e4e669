package dev.ranker4j.training.optim;

import dev.ranker4j.autograd.nn.Parameter;
import dev.ranker4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OptimizerTest {

    private static Parameter param(double... values) {
        return new Parameter(Tensor.fromArray(values, values.length));
    }

    private static void grad(Parameter p, double... g) {
        p.zeroGrad();
        // y = Σ g ⊙ p gives dy/dp = g.
        p.mul(dev.ranker4j.autograd.Variable.constant(Tensor.fromArray(g, g.length))).sum().backward();
    }

    @Test
    void adamwMatchesTheTorchFormulaOverThreeSteps() {
        Map<String, Parameter> named = new LinkedHashMap<>();
        Parameter w = named.computeIfAbsent("layer.weight", k -> param(0.5, -1.0, 2.0));
        Parameter b = named.computeIfAbsent("layer.bias", k -> param(0.1, 0.2, -0.3));
        AdamW adamw = new AdamW(named, 1e-2, 0.1);
        double[][] grads = {{0.3, -0.2, 1.0}, {-0.1, 0.4, 0.5}, {0.2, 0.2, -0.7}};
        double[] pw = {0.5, -1.0, 2.0}, pb = {0.1, 0.2, -0.3}, mw = new double[3], vw = new double[3], mb = new double[3], vb = new double[3];
        for (int t = 1; t <= 3; t++) {
            grad(w, grads[t - 1]);
            grad(b, grads[t - 1]);
            adamw.step();
            plainAdamW(pw, grads[t - 1], mw, vw, t, 1e-2, 0.1);
            plainAdamW(pb, grads[t - 1], mb, vb, t, 1e-2, 0.0); // biases are exempt from decay
        }
        assertArrayEquals(pw, w.value().toDoubleArray(), 1e-15);
        assertArrayEquals(pb, b.value().toDoubleArray(), 1e-15);
        assertEquals(0.0, adamw.weightDecayOf("layer.bias"));
    }

    /** Loshchilov & Hutter's algorithm written out, the torch way. */
    private static void plainAdamW(double[] p, double[] g, double[] m, double[] v, int t, double lr, double wd) {
        for (int i = 0; i < p.length; i++) {
            p[i] = p[i] * (1 - lr * wd);
            m[i] = 0.9 * m[i] + 0.1 * g[i];
            v[i] = 0.999 * v[i] + 0.001 * g[i] * g[i];
            double mHat = m[i] / (1 - Math.pow(0.9, t)), vHatSqrt = Math.sqrt(v[i]) / Math.sqrt(1 - Math.pow(0.999, t));
            p[i] -= lr * mHat / (vHatSqrt + 1e-8);
        }
    }

    @Test
    void layerNormWeightsAreExemptFromDecayByDefault() {
        assertTrue(WeightDecayPolicy.BIAS_AND_LAYER_NORM_EXEMPT.test("encoder.layer.0.output.LayerNorm.weight"));
        assertTrue(WeightDecayPolicy.BIAS_AND_LAYER_NORM_EXEMPT.test("transformer.layer.0.sa_layer_norm.weight"));
        assertTrue(!WeightDecayPolicy.BIAS_AND_LAYER_NORM_EXEMPT.test("encoder.layer.0.output.dense.weight"));
    }

    @Test
    void sgdWithMomentumIsTheHeavyBall() {
        Parameter p = param(1.0, 2.0);
        Sgd sgd = new Sgd(Map.of("p", p), 0.1, 0.9);
        grad(p, 1.0, -1.0);
        sgd.step(); // b = g; p -= 0.1 g
        grad(p, 0.5, 0.5);
        sgd.step(); // b = 0.9 g1 + g2
        assertArrayEquals(new double[] {1.0 - 0.1 - 0.1 * (0.9 + 0.5), 2.0 + 0.1 - 0.1 * (-0.9 + 0.5)}, p.value().toDoubleArray(), 1e-15);
    }

    @Test
    void optimizerStateRoundTripsAndIsCheckedAgainstShapes() {
        Parameter p = param(1.0, 2.0);
        AdamW a = new AdamW(Map.of("p", p), 1e-3, 0.0);
        grad(p, 1.0, 1.0);
        a.step();
        AdamW b = new AdamW(Map.of("p", p), 1e-3, 0.0);
        b.loadState(a.stateTensors(), a.stepCount());
        assertEquals(1, b.stepCount());
        assertArrayEquals(a.stateTensors().get("exp_avg.p").toDoubleArray(), b.stateTensors().get("exp_avg.p").toDoubleArray());
        Map<String, Tensor> wrong = Map.of("exp_avg.p", Tensor.zeros(dev.ranker4j.tensor.DType.F64, 3),
                "exp_avg_sq.p", Tensor.zeros(dev.ranker4j.tensor.DType.F64, 3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.loadState(wrong, 1));
        assertTrue(e.getMessage().contains("exp_avg.p"), e.getMessage());
    }

    @Test
    void linearScheduleMatchesHuggingFace() {
        LinearWarmupSchedule s = new LinearWarmupSchedule(1e-3, 2, 10);
        // HF: lr_lambda(0)=0, (1)=0.5, (2)=1, then (10 - t)/8.
        assertEquals(0.0, s.learningRate(0));
        assertEquals(5e-4, s.learningRate(1), 1e-18);
        assertEquals(1e-3, s.learningRate(2), 1e-18);
        assertEquals(1e-3 * 4 / 8, s.learningRate(6), 1e-18);
        assertEquals(0.0, s.learningRate(10));
        assertEquals(0.0, s.learningRate(12));
        assertEquals(1e-3, new LinearWarmupSchedule(1e-3, 0, 4).learningRate(0));
    }

    @Test
    void clippingScalesAllGradientsByOneFactor() {
        Parameter a = param(0, 0), b = param(0);
        grad(a, 3, 0);
        grad(b, 4);
        double norm = GradientClipping.clipGlobalNorm(java.util.List.of(a, b), 1.0);
        assertEquals(5.0, norm, 1e-15);
        double factor = 1.0 / (5.0 + 1e-6);
        assertArrayEquals(new double[] {3 * factor, 0}, a.grad().toDoubleArray(), 1e-15);
        assertArrayEquals(new double[] {4 * factor}, b.grad().toDoubleArray(), 1e-15);
        GradientClipping.clipGlobalNorm(java.util.List.of(a, b), 10.0); // below the limit: unchanged
        assertArrayEquals(new double[] {4 * factor}, b.grad().toDoubleArray(), 1e-15);
    }
}
