package dev.ranker4j.training.optim;

import dev.ranker4j.autograd.nn.Parameter;
import dev.ranker4j.tensor.DType;
import dev.ranker4j.tensor.ActivationArena;
import dev.ranker4j.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Stochastic gradient descent with (heavy-ball) momentum, as {@code torch.optim.SGD} with dampening 0, no Nesterov:
 * <pre>
 *   b ← g                 at the first step
 *   b ← μ b + g           afterwards
 *   θ ← θ − lr · b
 * </pre>
 * With μ = 0 it is plain gradient descent.
 */
public final class Sgd extends PerParameterOptimizer {
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();
    private final double momentum;

    public Sgd(Map<String, Parameter> parameters, double learningRate, double momentum) {
        super(parameters, learningRate);
        if (!(learningRate >= 0) || !(momentum >= 0)) {
            throw new IllegalArgumentException("Sgd: learning rate and momentum must be >= 0, got " + learningRate + ", " + momentum);
        }
        this.momentum = momentum;
    }

    @Override
    void update(String name, Parameter p) {
        boolean first = !buffers.containsKey(name);
        // Made at the first update, inside a training step: outside its arena, as it lives for the whole run.
        Tensor buffer = buffers.computeIfAbsent(name, k -> ActivationArena.outside(() -> Tensor.zeros(p.dtype(), p.shape())));
        if (p.dtype() == DType.F64) {
            double[] theta = OptimizerArrays.doubles(p.value(), name), g = OptimizerArrays.doubles(p.grad(), name);
            double[] b = buffer.storage().doubles();
            double lr = learningRate();
            for (int i = 0; i < theta.length; i++) {
                b[i] = first ? g[i] : momentum * b[i] + g[i];
                theta[i] -= lr * b[i];
            }
        } else {
            float[] theta = OptimizerArrays.floats(p.value(), name), g = OptimizerArrays.floats(p.grad(), name);
            float[] b = buffer.storage().floats();
            float mu = (float) momentum, lr = (float) learningRate();
            for (int i = 0; i < theta.length; i++) {
                b[i] = first ? g[i] : mu * b[i] + g[i];
                theta[i] -= lr * b[i];
            }
        }
    }

    @Override
    public Map<String, Tensor> stateTensors() {
        Map<String, Tensor> state = new LinkedHashMap<>();
        buffers.forEach((name, t) -> state.put("momentum_buffer." + name, t));
        return state;
    }

    @Override
    void clearState() {
        buffers.clear();
    }

    @Override
    void restoreState(String name, Parameter p, Map<String, Tensor> state) {
        Tensor b = state.get("momentum_buffer." + name);
        if (b != null) buffers.put(name, OptimizerArrays.ownedCopy(b, p, "momentum_buffer." + name));
    }
}
