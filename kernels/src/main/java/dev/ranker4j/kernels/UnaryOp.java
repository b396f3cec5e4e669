package dev.ranker4j.kernels;

import java.util.List;

/**
 * Elementwise functions of one input, and the derivative table: for every op, its forward {@link #apply} and its
 * derivative {@link #derivative} are written once, here, as scalar math (in the spirit of tinygrad's gradient.py and
 * PyTorch's derivatives.yaml). Everything else derives from these two switches or is checked against them:
 * <ul>
 *   <li>{@link ReferenceBackend} runs {@code apply} element by element, and its {@link Backend#unaryBackward} is the
 *       table's rule run as kernels ({@link CompositeKernels#unaryBackward}), so every backend has a backward for
 *       every op that has a rule;</li>
 *   <li>the CPU backend's vector loops (cpu/UnaryKernels, cpu/UnaryBackwardKernels) are compared with those by the
 *       kernel properties; an op without a vector loop runs {@code apply} in the CPU backend too;</li>
 *   <li>autograd differentiates every op with a rule through {@code Gradients.unary}, registers it under its
 *       {@link #displayName()} and gradient-checks it against finite differences (OpRegistry, GradientSpecs);</li>
 *   <li>device kernels (TornadoVM's UnaryKernel) take their op numbers from this enum and are tested against
 *       {@code apply}; an op a device does not implement runs on the host.</li>
 * </ul>
 * {@code param} is the scalar some ops take (the exponent of {@link #POW}, the addend of {@link #ADD_SCALAR}, ...);
 * the others ignore it. A new op is one constant plus one line in each switch.
 */
public enum UnaryOp {
    NEG, EXP, LOG, SQRT, RSQRT, TANH, SIGMOID, RELU, ABS, RECIPROCAL, SQUARE,
    /** x · Φ(x) with Φ the standard normal CDF, computed through erf (BERT's "gelu"). */
    GELU_ERF,
    /** 0.5 x (1 + tanh(√(2/π) (x + 0.044715 x³))) (BERT's "gelu_new" / "gelu_pytorch_tanh"). */
    GELU_TANH,
    /** x^param. */
    POW,
    /** x + param. */
    ADD_SCALAR,
    /** x · param. */
    MUL_SCALAR,
    /** d/dx GELU_ERF(x) = Φ(x) + x φ(x). */
    GELU_ERF_DERIVATIVE,
    /** d/dx GELU_TANH(x). */
    GELU_TANH_DERIVATIVE,
    /** 1 where x &gt; 0, else 0: the derivative of RELU. */
    STEP,
    /** sin x. */
    SIN;

    /** y = f(x, param), in double: the definition every kernel of this op is checked against. */
    public double apply(double x, double param) {
        return switch (this) {
            case NEG -> -x;
            case EXP -> Math.exp(x);
            case LOG -> Math.log(x);
            case SQRT -> Math.sqrt(x);
            case RSQRT -> 1.0 / Math.sqrt(x);
            case TANH -> Math.tanh(x);
            case SIGMOID -> ScalarMath.sigmoid(x);
            case RELU -> x > 0 ? x : 0.0;
            case ABS -> Math.abs(x);
            case RECIPROCAL -> 1.0 / x;
            case SQUARE -> x * x;
            case GELU_ERF -> x * ScalarMath.normalCdf(x);
            // ½(1 + tanh u) = σ(2u): the same function, without 1 + tanh u cancelling to nothing for x ≪ 0.
            case GELU_TANH -> x * ScalarMath.sigmoid(2.0 * ScalarMath.geluTanhInner(x));
            case POW -> Math.pow(x, param);
            case ADD_SCALAR -> x + param;
            case MUL_SCALAR -> x * param;
            case GELU_ERF_DERIVATIVE -> ScalarMath.normalCdf(x) + x * ScalarMath.INV_SQRT_2PI * Math.exp(-0.5 * x * x);
            case GELU_TANH_DERIVATIVE -> {
                // d/dx x·σ(2u) = σ(2u) + 2x·σ(2u)·σ(−2u)·du/dx, using 1 − σ(2u) = σ(−2u) (no cancellation).
                double u = ScalarMath.geluTanhInner(x);
                double du = ScalarMath.SQRT_2_OVER_PI * (1.0 + 3.0 * ScalarMath.GELU_TANH_CUBIC * x * x);
                yield ScalarMath.sigmoid(2.0 * u) + 2.0 * x * ScalarMath.sigmoid(2.0 * u) * ScalarMath.sigmoid(-2.0 * u) * du;
            }
            case STEP -> x > 0 ? 1.0 : 0.0;
            case SIN -> Math.sin(x);
        };
    }

    /**
     * dy/dx at the forward input x, written with the unary ops themselves: dy/dx = scale · Π factor_k(x), each
     * factor a chain of ops applied to x in order (an empty chain is x itself). Null for the ops that have no
     * derivative here (ABS, STEP and the {@code *_DERIVATIVE} ops: no model differentiates through them).
     */
    public Derivative derivative(double param) {
        return switch (this) {
            case NEG -> Derivative.constant(-1);                                      // −1
            case ADD_SCALAR -> Derivative.constant(1);                                // 1
            case MUL_SCALAR -> Derivative.constant(param);                            // p
            case SQUARE -> Derivative.of(2, List.of());                               // 2x
            case EXP -> Derivative.of(1, List.of(EXP));                               // eˣ
            case LOG -> Derivative.of(1, List.of(RECIPROCAL));                        // 1/x
            case SQRT -> Derivative.of(0.5, List.of(RSQRT));                          // ½·x^−½
            case RSQRT -> Derivative.of(-0.5, List.of(POW.with(-1.5)));               // −½·x^−3/2
            case RECIPROCAL -> Derivative.of(-1, List.of(SQUARE, RECIPROCAL));        // −1/x²
            case POW -> Derivative.of(param, List.of(POW.with(param - 1)));           // p·x^(p−1)
            case TANH -> Derivative.of(1, List.of(TANH, SQUARE, NEG, ADD_SCALAR.with(1))); // 1 − tanh²x
            case SIGMOID -> Derivative.of(1, List.of(SIGMOID), List.of(NEG, SIGMOID));     // σ(x)·σ(−x)
            case RELU -> Derivative.of(1, List.of(STEP));                             // step(x)
            case GELU_ERF -> Derivative.of(1, List.of(GELU_ERF_DERIVATIVE));          // Φ(x) + x·φ(x)
            case GELU_TANH -> Derivative.of(1, List.of(GELU_TANH_DERIVATIVE));
            case SIN -> Derivative.of(1, List.of(ADD_SCALAR.with(Math.PI / 2), SIN)); // cos x = sin(x + π/2)
            case ABS, STEP, GELU_ERF_DERIVATIVE, GELU_TANH_DERIVATIVE -> null;
        };
    }

    /** Whether {@link #derivative} has a rule for this op (and so {@link Backend#unaryBackward} accepts it). */
    public boolean hasDerivative() {
        return derivative(0) != null;
    }

    /** dy/dx at x as scalar math: the rule of {@link #derivative} evaluated with {@link #apply}. */
    public double derivativeAt(double x, double param) {
        Derivative rule = derivative(param);
        if (rule == null) throw new IllegalArgumentException(this + " has no derivative");
        double value = rule.scale();
        for (List<Step> chain : rule.factors()) {
            double factor = x;
            for (Step step : chain) factor = step.op().apply(factor, step.param());
            value *= factor;
        }
        return value;
    }

    /** The op's name in CamelCase ("Tanh", "GeluErf", "AddScalar"): how autograd's registry lists it. */
    public String displayName() {
        StringBuilder name = new StringBuilder();
        for (String word : name().split("_")) name.append(word.charAt(0)).append(word.substring(1).toLowerCase());
        return name.toString();
    }

    /** This op applied with a parameter, as one step of a derivative chain. */
    public Step with(double param) {
        return new Step(this, param);
    }

    /** One kernel of a derivative chain: op applied with param. */
    public record Step(UnaryOp op, double param) {}

    /** dy/dx = scale · Π over factors of (the factor's chain of steps applied to x). */
    public record Derivative(double scale, List<List<Step>> factors) {
        static Derivative constant(double scale) {
            return new Derivative(scale, List.of());
        }

        /** Chains given as ops (parameter 0) or {@link Step}s. */
        @SafeVarargs
        static Derivative of(double scale, List<?>... chains) {
            List<List<Step>> factors = new java.util.ArrayList<>();
            for (List<?> chain : chains) {
                factors.add(chain.stream().map(s -> s instanceof Step step ? step : new Step((UnaryOp) s, 0)).toList());
            }
            return new Derivative(scale, List.copyOf(factors));
        }
    }
}
