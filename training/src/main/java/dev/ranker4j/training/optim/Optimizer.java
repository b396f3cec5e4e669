package dev.ranker4j.training.optim;

import dev.ranker4j.autograd.nn.Parameter;
import dev.ranker4j.tensor.Tensor;

import java.util.Map;

/**
 * Updates named parameters from their accumulated gradients. The state (moments, step count) can be exported and
 * restored so that a resumed run continues bit-identically.
 */
public interface Optimizer {

    /** One update of every parameter that has a gradient, at the current learning rate. */
    void step();

    /** Forgets every parameter's gradient. */
    void zeroGrad();

    double learningRate();

    void setLearningRate(double learningRate);

    /** Number of {@link #step()} calls so far. */
    long stepCount();

    /** The parameters this optimizer updates, by name, in update order. */
    Map<String, Parameter> parameters();

    /** Every state tensor under a stable name (e.g. {@code exp_avg.<param>}); for checkpoints. */
    Map<String, Tensor> stateTensors();

    /** Restores what {@link #stateTensors()} and {@link #stepCount()} returned; errors name a missing tensor. */
    void loadState(Map<String, Tensor> state, long stepCount);
}
