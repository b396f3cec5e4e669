package dev.ranker4j.autograd;

import dev.ranker4j.autograd.check.GradCheck;
import dev.ranker4j.tensor.DType;
import dev.ranker4j.tensor.Tensor;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.GenerationMode;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * For every registered op, several random cases each (exhaustive over op × case number, so no op is ever skipped):
 * the analytic gradient matches central differences in F64, and the F32 path matches the F64 path.
 */
class OpGradientProperties {
    private static final int CASES_PER_OP = 16;

    @Provide
    Arbitrary<String> ops() {
        return Arbitraries.of(OpRegistry.names());
    }

    @Property(generation = GenerationMode.EXHAUSTIVE, tries = 1000)
    void analyticGradientMatchesFiniteDifferencesInF64(@ForAll("ops") String op, @ForAll @IntRange(min = 0, max = CASES_PER_OP - 1) int caseNumber) {
        GradientSpecs.Case c = drawCase(op, caseNumber);
        GradCheck.Report report = GradCheck.check(c.f(), c.inputs());
        assertTrue(report.passed(), c + ": " + report);
    }

    @Property(generation = GenerationMode.EXHAUSTIVE, tries = 1000)
    void f32PathMatchesF64Path(@ForAll("ops") String op, @ForAll @IntRange(min = 0, max = CASES_PER_OP - 1) int caseNumber) {
        GradientSpecs.Case c = drawCase(op, caseNumber);
        Run exact = run(c, DType.F64);
        Run fast = run(c, DType.F32);
        assertClose(c + " output", exact.output, fast.output);
        for (int i = 0; i < exact.grads.size(); i++) assertClose(c + " gradient of input " + i, exact.grads.get(i), fast.grads.get(i));
    }

    private static GradientSpecs.Case drawCase(String op, int caseNumber) {
        return GradientSpecs.SPECS.get(op).draw(new Random(op.hashCode() * 1_000_003L + caseNumber));
    }

    private record Run(Tensor output, List<Tensor> grads) {}

    /** Forward, then backward with a fixed, non-uniform seed in [1, 2) over the output's elements. */
    private static Run run(GradientSpecs.Case c, DType dtype) {
        List<Variable> inputs = new ArrayList<>();
        for (Tensor t : c.inputs()) inputs.add(new Variable(t.to(dtype), true));
        Variable out = c.f().apply(inputs);
        assertTrue(out.dtype() == dtype, c + ": output dtype " + out.dtype() + ", expected " + dtype);
        out.backward(seed(out.shape(), dtype));
        List<Tensor> grads = new ArrayList<>();
        for (Variable v : inputs) grads.add(v.grad() == null ? Tensor.zeros(DType.F64, v.shape()) : v.grad().to(DType.F64));
        return new Run(out.value().to(DType.F64), grads);
    }

    private static Tensor seed(int[] shape, DType dtype) {
        double[] data = new double[GradientSpecs.numel(shape)];
        for (int i = 0; i < data.length; i++) data[i] = 1 + (i % 7) / 7.0;
        return Tensor.fromArray(data, shape).to(dtype);
    }

    /**
     * F32 agrees to 5e-5 of the larger of 1 and the tensor's largest magnitude: float32 rounding (6e-8) amplified by
     * the cancellation some backward formulas have (layer norm of two elements, softmax sums).
     */
    private static void assertClose(String what, Tensor exact, Tensor fast) {
        assertArrayEquals(exact.shape(), fast.shape(), what + ": shape");
        double[] e = exact.toDoubleArray(), f = fast.toDoubleArray();
        double scale = 1;
        for (double v : e) scale = Math.max(scale, Math.abs(v));
        for (int i = 0; i < e.length; i++) {
            double tolerance = 5e-5 * scale;
            assertTrue(Math.abs(e[i] - f[i]) <= tolerance, what + " element " + i + ": F64 " + e[i] + " vs F32 " + f[i]);
        }
    }
}
