package dev.ranker4j.kernels;

/**
 * Elementwise functions of one input. {@code param} is the scalar some of them take (the exponent of {@link #POW},
 * the addend of {@link #ADD_SCALAR}, ...); the others ignore it.
 *
 * <p>The {@code *_DERIVATIVE} members are derivatives evaluated at the forward input x. A backward pass needs them
 * multiplied by the incoming gradient: {@link Backend#unaryBackward} does both in one pass (and composes these
 * kernels with a multiply where a backend has no fused loop).
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
    STEP
}
