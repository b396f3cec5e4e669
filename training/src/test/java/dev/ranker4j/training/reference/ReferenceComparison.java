package dev.ranker4j.training.reference;

import dev.ranker4j.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * llm.c-style comparison against a PyTorch debug state: one line per tensor, OK or NOT OK with the worst
 * difference, and one assertion at the end that lists every failure (so a single run shows them all).
 */
final class ReferenceComparison {
    private final String caseName;
    private final List<String> failures = new ArrayList<>();
    private double worstRelative;
    private String worstName = "";

    ReferenceComparison(String caseName) {
        this.caseName = caseName;
    }

    /** Elementwise |ours − ref| ≤ tolerance · |ref| (values such as scores and losses). */
    void relative(String name, Tensor ours, Tensor reference, double tolerance) {
        double[] a = ours.to(dev.ranker4j.tensor.DType.F64).contiguous().toDoubleArray(), b = reference.toDoubleArray();
        if (!sameSize(name, a, b)) return;
        double worst = 0;
        for (int i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(Math.abs(b[i]), Double.MIN_NORMAL));
        report(name, worst, tolerance, "relative");
    }

    /**
     * max |ours − ref| ≤ tolerance · scale, where scale is the largest magnitude of the quantity being compared
     * (for gradients: of the whole gradient of the case; for updated parameters: of all parameters). The line also
     * shows the difference relative to this tensor's own largest magnitude, the stricter per-tensor view.
     */
    void scaled(String name, Tensor ours, Tensor reference, double tolerance, double scale) {
        if (ours == null) {
            fail(name, "we computed no value (no gradient reached it)");
            return;
        }
        double[] a = ours.to(dev.ranker4j.tensor.DType.F64).contiguous().toDoubleArray(), b = reference.toDoubleArray();
        if (!sameSize(name, a, b)) return;
        double worst = 0, own = 0;
        for (int i = 0; i < a.length; i++) {
            worst = Math.max(worst, Math.abs(a[i] - b[i]));
            own = Math.max(own, Math.abs(b[i]));
        }
        report(name, worst / scale, tolerance, String.format("of %.3e (per tensor: %.3e of its max %.3e)", scale,
                own == 0 ? worst : worst / own, own));
    }

    /** An updated parameter whose gradient was rounding noise: Adam normalises noise to a step of at most lr. */
    void boundedByLearningRate(String name, Tensor ours, Tensor reference, double learningRate) {
        double[] a = ours.to(dev.ranker4j.tensor.DType.F64).contiguous().toDoubleArray(), b = reference.toDoubleArray();
        double worst = 0;
        for (int i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
        boolean ok = worst <= 2 * learningRate * 1.0001;
        System.out.printf("%-7s %s %s: gradient is rounding noise, Adam step ≤ lr; worst %.3e (bound 2·lr = %.0e)%n",
                ok ? "OK" : "NOT OK", caseName, name, worst, 2 * learningRate);
        if (!ok) failures.add(name + ": update differs by " + worst);
    }

    static double maxAbs(Tensor t) {
        double m = 0;
        for (double x : t.to(dev.ranker4j.tensor.DType.F64).contiguous().toDoubleArray()) m = Math.max(m, Math.abs(x));
        return m;
    }

    void missing(String name, String why) {
        fail(name, why);
    }

    private boolean sameSize(String name, double[] a, double[] b) {
        if (a.length == b.length) return true;
        fail(name, "size " + a.length + " vs reference " + b.length);
        return false;
    }

    private void report(String name, double worst, double tolerance, String kind) {
        boolean ok = worst <= tolerance && !Double.isNaN(worst);
        System.out.printf("%-7s %s %s: worst %.3e %s (tolerance %.0e)%n", ok ? "OK" : "NOT OK", caseName, name, worst, kind, tolerance);
        if (worst > worstRelative || Double.isNaN(worst)) {
            worstRelative = worst;
            worstName = name;
        }
        if (!ok) failures.add(name + ": worst " + worst + " > " + tolerance);
    }

    private void fail(String name, String why) {
        System.out.printf("NOT OK  %s %s: %s%n", caseName, name, why);
        failures.add(name + ": " + why);
    }

    /** Throws listing every failure; prints the case's worst difference either way. */
    void assertAllOk() {
        System.out.printf("%s: worst %.3e at %s%n", caseName, worstRelative, worstName);
        if (!failures.isEmpty()) throw new AssertionError(caseName + ": " + failures.size() + " tensors differ:\n  " + String.join("\n  ", failures));
    }
}
