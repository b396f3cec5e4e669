package dev.ranker4j.kernels;

import java.util.List;

/**
 * The derivative of each {@link UnaryOp} written with the unary kernels themselves, so that
 * {@link Backend#unaryBackward}'s default runs on any backend: dx = dy · scale · Π factor_k(x), each factor a chain of
 * unary kernels applied to the forward input x, then multiplied in with {@link BinaryOp#MUL}. This is the composed
 * twin a fused backward kernel is checked against.
 *
 * <pre>
 *   NEG −1    ADD_SCALAR 1    MUL_SCALAR p    SQUARE 2x        EXP eˣ        LOG 1/x
 *   SQRT ½·x^−½    RSQRT −½·x^−3/2    RECIPROCAL −1/x²    POW p·x^(p−1)
 *   TANH 1 − tanh²x    SIGMOID σ(x)·σ(−x)    RELU step(x)    GELU_* the GELU_*_DERIVATIVE kernel
 * </pre>
 * ABS, STEP and the {@code *_DERIVATIVE} ops have none here (no autograd op needs them).
 */
final class UnaryDerivative {
    private UnaryDerivative() {}

    /** One kernel of a chain. */
    private record Step(UnaryOp op, double param) {}

    /** dx = dy · scale · Π factors(x); a factor is a chain of kernels applied to x in order (empty: x itself). */
    private record Rule(double scale, List<List<Step>> factors) {}

    private static Step step(UnaryOp op) {
        return new Step(op, 0);
    }

    private static Rule rule(UnaryOp op, double p) {
        return switch (op) {
            case NEG -> new Rule(-1, List.of());
            case ADD_SCALAR -> new Rule(1, List.of());
            case MUL_SCALAR -> new Rule(p, List.of());
            case SQUARE -> new Rule(2, List.of(List.of()));
            case EXP -> new Rule(1, List.of(List.of(step(UnaryOp.EXP))));
            case LOG -> new Rule(1, List.of(List.of(step(UnaryOp.RECIPROCAL))));
            case SQRT -> new Rule(0.5, List.of(List.of(step(UnaryOp.RSQRT))));
            case RSQRT -> new Rule(-0.5, List.of(List.of(new Step(UnaryOp.POW, -1.5))));
            case RECIPROCAL -> new Rule(-1, List.of(List.of(step(UnaryOp.SQUARE), step(UnaryOp.RECIPROCAL))));
            case POW -> new Rule(p, List.of(List.of(new Step(UnaryOp.POW, p - 1))));
            case TANH -> new Rule(1, List.of(List.of(step(UnaryOp.TANH), step(UnaryOp.SQUARE), step(UnaryOp.NEG),
                    new Step(UnaryOp.ADD_SCALAR, 1))));
            case SIGMOID -> new Rule(1, List.of(List.of(step(UnaryOp.SIGMOID)),
                    List.of(step(UnaryOp.NEG), step(UnaryOp.SIGMOID))));
            case RELU -> new Rule(1, List.of(List.of(step(UnaryOp.STEP))));
            case GELU_ERF -> new Rule(1, List.of(List.of(step(UnaryOp.GELU_ERF_DERIVATIVE))));
            case GELU_TANH -> new Rule(1, List.of(List.of(step(UnaryOp.GELU_TANH_DERIVATIVE))));
            case ABS, STEP, GELU_ERF_DERIVATIVE, GELU_TANH_DERIVATIVE -> throw new IllegalArgumentException(
                    "unaryBackward: " + op + " has no derivative kernel (supported: every op but ABS, STEP and the"
                    + " *_DERIVATIVE ops)");
        };
    }

    /** Whether {@link Backend#unaryBackward} accepts op. */
    static boolean hasDerivative(UnaryOp op) {
        return switch (op) {
            case ABS, STEP, GELU_ERF_DERIVATIVE, GELU_TANH_DERIVATIVE -> false;
            default -> true;
        };
    }

    static void backward(Backend backend, UnaryOp op, double param, float[] x, int xOff, float[] dy, int dyOff,
                         float[] dx, int dxOff, int n) {
        Rule rule = rule(op, param);
        backend.unary(UnaryOp.MUL_SCALAR, rule.scale(), dy, dyOff, dx, dxOff, n);
        int[] shape = {n}, unit = {1};
        float[] factor = new float[n], product = new float[n];
        for (List<Step> chain : rule.factors()) {
            backend.copy(shape, x, xOff, unit, factor, 0);
            for (Step step : chain) backend.unary(step.op(), step.param(), factor, 0, factor, 0, n);
            backend.binary(BinaryOp.MUL, shape, dx, dxOff, unit, factor, 0, unit, product, 0);
            backend.copy(shape, product, 0, unit, dx, dxOff);
        }
    }

    static void backward(Backend backend, UnaryOp op, double param, double[] x, int xOff, double[] dy, int dyOff,
                         double[] dx, int dxOff, int n) {
        Rule rule = rule(op, param);
        backend.unary(UnaryOp.MUL_SCALAR, rule.scale(), dy, dyOff, dx, dxOff, n);
        int[] shape = {n}, unit = {1};
        double[] factor = new double[n], product = new double[n];
        for (List<Step> chain : rule.factors()) {
            backend.copy(shape, x, xOff, unit, factor, 0);
            for (Step step : chain) backend.unary(step.op(), step.param(), factor, 0, factor, 0, n);
            backend.binary(BinaryOp.MUL, shape, dx, dxOff, unit, factor, 0, unit, product, 0);
            backend.copy(shape, product, 0, unit, dx, dxOff);
        }
    }
}
