package dev.ranker4j.autograd.check;

import dev.ranker4j.autograd.NoGrad;
import dev.ranker4j.autograd.Variable;
import dev.ranker4j.autograd.nn.Parameter;
import dev.ranker4j.tensor.DType;
import dev.ranker4j.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Checks analytic gradients against central finite differences in float64, like {@code torch.autograd.gradcheck}.
 *
 * <p>The function's output y (any shape) is reduced to a scalar L = Σ w ⊙ y with a fixed random weight w, so one
 * backward pass gives every analytic dL/dx, and each input element x_j is checked against
 * <pre>
 *   dL/dx_j ≈ (L(x + h e_j) − L(x − h e_j)) / 2h
 * </pre>
 * whose error is O(h²) (plus rounding ≈ ε_f64 · |L| / h). An element passes when
 * |analytic − numeric| ≤ atol + rtol · |numeric|; the report names the worst one.
 *
 * <pre>{@code
 * GradCheck.Report report = GradCheck.check(in -> in.get(0).matmul(in.get(1)).tanh(), List.of(a, b));
 * if (!report.passed()) throw new AssertionError(report);
 * }</pre>
 */
public final class GradCheck {
    private GradCheck() {}

    /** Step and tolerances; the defaults suit smooth functions of inputs of magnitude about 1. */
    public record Options(double step, double atol, double rtol, long seed) {
        public static final Options DEFAULT = new Options(1e-6, 1e-6, 1e-5, 42);

        public Options withTolerances(double atol, double rtol) {
            return new Options(step, atol, rtol, seed);
        }
    }

    /**
     * The outcome, with the worst element: which input, where in it, both gradients and the errors.
     * {@code worstRatio} is |analytic − numeric| / (atol + rtol·|numeric|): below 1 passes.
     */
    public record Report(boolean passed, int checkedElements, int worstInput, String worstInputName, int[] worstIndex,
                         double analytic, double numeric, double absError, double relError, double worstRatio) {
        @Override
        public String toString() {
            return (passed ? "gradcheck passed" : "gradcheck FAILED") + " over " + checkedElements + " elements; worst: "
                    + worstInputName + " at " + Arrays.toString(worstIndex) + ": analytic " + analytic + ", numeric " + numeric
                    + ", abs error " + absError + ", rel error " + relError;
        }
    }

    /** Checks {@code f} at {@code inputs} (converted to F64) with {@link Options#DEFAULT}. */
    public static Report check(Function<List<Variable>, Variable> f, List<Tensor> inputs) {
        return check(f, inputs, Options.DEFAULT);
    }

    public static Report check(Function<List<Variable>, Variable> f, List<Tensor> inputs, Options options) {
        List<double[]> data = new ArrayList<>();
        List<int[]> shapes = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Tensor input : inputs) {
            data.add(input.to(DType.F64).toDoubleArray());
            shapes.add(input.shape());
            names.add("input " + names.size());
        }
        List<Variable> variables = variables(data, shapes);
        return compare(names, data, shapes, () -> f.apply(variables), variables,
                () -> evaluate(f, data, shapes), options);
    }

    /**
     * Checks the gradients of every parameter of a model: {@code output} runs the model's forward (in evaluation
     * mode, so that dropout does not redraw masks); each parameter is perturbed in place, one element at a time,
     * and restored. The parameters must be F64 ({@link dev.ranker4j.autograd.nn.Module#to}).
     */
    public static Report checkParameters(Map<String, Parameter> parameters, Supplier<Variable> output, Options options) {
        List<String> names = new ArrayList<>(parameters.keySet());
        List<Parameter> params = new ArrayList<>(parameters.values());
        List<double[]> data = new ArrayList<>();
        List<int[]> shapes = new ArrayList<>();
        for (Parameter p : params) {
            if (p.dtype() != DType.F64) {
                throw new IllegalArgumentException("checkParameters needs F64 parameters; convert the model with to(DType.F64)");
            }
            data.add(p.value().toDoubleArray());
            shapes.add(p.shape());
            p.zeroGrad();
        }
        Supplier<double[]> evaluate = () -> {
            for (int i = 0; i < params.size(); i++) params.get(i).set(Tensor.fromArray(data.get(i).clone(), shapes.get(i)));
            try (NoGrad ignored = NoGrad.enter()) {
                return output.get().value().to(DType.F64).toDoubleArray();
            }
        };
        List<Variable> variables = new ArrayList<>(params);
        try {
            return compare(names, data, shapes, output, variables, evaluate, options);
        } finally {
            for (int i = 0; i < params.size(); i++) params.get(i).set(Tensor.fromArray(data.get(i).clone(), shapes.get(i)));
        }
    }

    /**
     * The shared core: one backward for the analytic gradients of {@code variables}, then for each element of
     * {@code data} a central difference of L = Σ w ⊙ y, where {@code evaluate} recomputes y from {@code data}.
     */
    private static Report compare(List<String> names, List<double[]> data, List<int[]> shapes, Supplier<Variable> forward,
                                  List<Variable> variables, Supplier<double[]> evaluate, Options options) {
        Variable output = forward.get();
        double[] weights = randomWeights(output.value().numel(), options.seed());
        output.backward(Tensor.fromArray(weights, output.shape()).to(output.dtype()));

        Worst worst = new Worst();
        int checked = 0;
        for (int i = 0; i < data.size(); i++) {
            Tensor grad = variables.get(i).grad();
            double[] analytic = grad == null ? new double[data.get(i).length] : grad.toDoubleArray();
            double[] x = data.get(i);
            for (int j = 0; j < x.length; j++) {
                double original = x[j];
                x[j] = original + options.step();
                double plus = dot(weights, evaluate.get());
                x[j] = original - options.step();
                double minus = dot(weights, evaluate.get());
                x[j] = original;
                double numeric = (plus - minus) / (2 * options.step());
                worst.offer(i, j, analytic[j], numeric, options);
                checked++;
            }
        }
        if (worst.input < 0) throw new IllegalArgumentException("gradcheck: no input elements to check");
        double abs = Math.abs(worst.analytic - worst.numeric);
        return new Report(worst.ratio <= 1, checked, worst.input, names.get(worst.input), unravel(worst.element, shapes.get(worst.input)),
                worst.analytic, worst.numeric, abs, abs / Math.max(Math.abs(worst.numeric), Double.MIN_NORMAL), worst.ratio);
    }

    private static double dot(double[] w, double[] y) {
        double sum = 0;
        for (int k = 0; k < y.length; k++) sum += w[k] * y[k];
        return sum;
    }

    /** y = f(x) from the current {@code data}, evaluated without recording a graph. */
    private static double[] evaluate(Function<List<Variable>, Variable> f, List<double[]> data, List<int[]> shapes) {
        try (NoGrad ignored = NoGrad.enter()) {
            return f.apply(variables(data, shapes)).value().to(DType.F64).toDoubleArray();
        }
    }

    private static List<Variable> variables(List<double[]> data, List<int[]> shapes) {
        List<Variable> variables = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            variables.add(new Variable(Tensor.fromArray(data.get(i).clone(), shapes.get(i)), true));
        }
        return variables;
    }

    /** Weights in ±[0.5, 1.5): nonzero everywhere, so no output element's gradient is hidden. */
    private static double[] randomWeights(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] w = new double[n];
        for (int k = 0; k < n; k++) w[k] = (random.nextBoolean() ? 1 : -1) * (0.5 + random.nextDouble());
        return w;
    }

    private static int[] unravel(int flat, int[] shape) {
        int[] index = new int[shape.length];
        for (int a = shape.length - 1; a >= 0; a--) {
            index[a] = flat % shape[a];
            flat /= shape[a];
        }
        return index;
    }

    private static final class Worst {
        int input = -1, element = -1;
        double analytic, numeric, ratio = -1;

        void offer(int i, int j, double a, double n, Options options) {
            double r = Math.abs(a - n) / (options.atol() + options.rtol() * Math.abs(n));
            if (Double.isNaN(r)) r = Double.POSITIVE_INFINITY;
            if (r > ratio) {
                input = i;
                element = j;
                analytic = a;
                numeric = n;
                ratio = r;
            }
        }
    }
}
