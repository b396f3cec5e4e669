package dev.ranker4j.training.optim;

import dev.ranker4j.autograd.nn.Parameter;
import dev.ranker4j.tensor.Tensor;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What every optimizer here shares: the named parameters, the learning rate, the step counter, and the walk over the
 * parameters that skips those without a gradient (as PyTorch does; their state stays). A subclass supplies only its
 * update rule and its per-parameter state.
 */
abstract class PerParameterOptimizer implements Optimizer {
    private final Map<String, Parameter> parameters;
    private double learningRate;
    private long steps;

    PerParameterOptimizer(Map<String, Parameter> parameters, double learningRate) {
        this.parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        this.learningRate = learningRate;
    }

    /** Called once per {@link #step()}, after the counter moved to {@code step}, before any parameter is updated. */
    void beginStep(long step) {}

    /** Updates {@code p} (which has a gradient) in place and its state. */
    abstract void update(String name, Parameter p);

    /** Forgets all per-parameter state, before {@link #loadState} restores it. */
    abstract void clearState();

    /** Restores {@code name}'s state from {@code state}, where present. */
    abstract void restoreState(String name, Parameter p, Map<String, Tensor> state);

    @Override
    public final void step() {
        steps++;
        beginStep(steps);
        for (Map.Entry<String, Parameter> entry : parameters.entrySet()) {
            if (entry.getValue().grad() != null) update(entry.getKey(), entry.getValue());
        }
    }

    @Override
    public final void loadState(Map<String, Tensor> state, long stepCount) {
        clearState();
        parameters.forEach((name, p) -> restoreState(name, p, state));
        steps = stepCount;
    }

    @Override
    public final void zeroGrad() {
        parameters.values().forEach(Parameter::zeroGrad);
    }

    @Override
    public final double learningRate() {
        return learningRate;
    }

    @Override
    public final void setLearningRate(double learningRate) {
        this.learningRate = learningRate;
    }

    @Override
    public final long stepCount() {
        return steps;
    }

    @Override
    public final Map<String, Parameter> parameters() {
        return parameters;
    }
}
