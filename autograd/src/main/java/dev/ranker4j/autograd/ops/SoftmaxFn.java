package dev.ranker4j.autograd.ops;

import dev.ranker4j.autograd.DifferentiableFunction;
import dev.ranker4j.tensor.Gradients;
import dev.ranker4j.tensor.Tensor;

/**
 * Softmax, or log-softmax, over the last axis, after adding an optional additive mask (0 keeps a position, a large
 * negative number drops it; the mask broadcasts to x and is a constant).
 * <pre>
 *   softmax:      y_j = exp(z_j) / Σ_k exp(z_k),   z = x + mask
 *                 dx_j = y_j (g_j − Σ_k g_k y_k)
 *   log-softmax:  y_j = z_j − log Σ_k exp(z_k)
 *                 dx_j = g_j − exp(y_j) Σ_k g_k
 * </pre>
 * Fused: one kernel each way (the test suite checks it against the same function composed from exp, sum and div).
 */
public final class SoftmaxFn extends DifferentiableFunction {
    private final Tensor mask;
    private final boolean log;

    /** @param mask additive mask broadcastable to the input, or null */
    public SoftmaxFn(Tensor mask, boolean log) {
        this.mask = mask;
        this.log = log;
    }

    @Override
    public String name() {
        return log ? "LogSoftmax" : "Softmax";
    }

    @Override
    protected Tensor forward(Tensor... in) {
        Tensor y = log ? in[0].logSoftmax(-1, mask) : in[0].softmax(-1, mask);
        save(y);
        return y;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {log ? Gradients.logSoftmax(saved(0), g, -1) : Gradients.softmax(saved(0), g, -1)};
    }
}
