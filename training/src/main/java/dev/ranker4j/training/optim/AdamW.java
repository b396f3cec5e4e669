package dev.ranker4j.training.optim;

import dev.ranker4j.autograd.nn.Parameter;
import dev.ranker4j.kernels.AdamWStep;
import dev.ranker4j.tensor.OptimizerUpdates;
import dev.ranker4j.tensor.ActivationArena;
import dev.ranker4j.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Adam with decoupled weight decay: Loshchilov &amp; Hutter, "Decoupled Weight Decay Regularization" (ICLR 2019),
 * step for step as {@code torch.optim.AdamW} (single-tensor path, amsgrad off). At step t with gradient g:
 * <pre>
 *   θ ← θ · (1 − lr·λ)                                   decoupled decay (λ = 0 for exempt parameters)
 *   m ← β₁ m + (1 − β₁) g
 *   v ← β₂ v + (1 − β₂) g²
 *   θ ← θ − (lr / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)
 * </pre>
 * The order of operations and the placement of ε follow PyTorch so that float64 results agree to the last bits.
 * Parameters without a gradient are skipped (as PyTorch does); their moments stay.
 */
public final class AdamW extends PerParameterOptimizer {
    private final Map<String, Tensor> firstMoments = new LinkedHashMap<>();
    private final Map<String, Tensor> secondMoments = new LinkedHashMap<>();
    private final Map<String, Double> decay = new LinkedHashMap<>();
    private final double beta1, beta2, eps;
    /** Per-step values of the current step, set by {@link #beginStep}. */
    private double stepSize, biasCorrection2Sqrt;

    /**
     * @param parameters  named parameters (a model's {@code namedParameters()})
     * @param weightDecay λ for parameters not exempted by {@code noDecay}
     * @param noDecay     names that get λ = 0 (usually {@link WeightDecayPolicy#BIAS_AND_LAYER_NORM_EXEMPT})
     */
    public AdamW(Map<String, Parameter> parameters, double learningRate, double beta1, double beta2, double eps,
                 double weightDecay, Predicate<String> noDecay) {
        super(parameters, learningRate);
        if (!(learningRate >= 0)) throw new IllegalArgumentException("AdamW: learning rate must be >= 0, got " + learningRate);
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("AdamW: betas must be in [0, 1), got (" + beta1 + ", " + beta2 + ")");
        }
        if (!(eps >= 0) || !(weightDecay >= 0)) throw new IllegalArgumentException("AdamW: eps and weight decay must be >= 0");
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        parameters.forEach((name, p) -> decay.put(name, noDecay.test(name) ? 0.0 : weightDecay));
    }

    /** torch defaults: betas (0.9, 0.999), eps 1e-8; biases and layer norms exempt from decay. */
    public AdamW(Map<String, Parameter> parameters, double learningRate, double weightDecay) {
        this(parameters, learningRate, 0.9, 0.999, 1e-8, weightDecay, WeightDecayPolicy.BIAS_AND_LAYER_NORM_EXEMPT);
    }

    @Override
    void beginStep(long step) {
        stepSize = learningRate() / (1 - Math.pow(beta1, step));
        biasCorrection2Sqrt = Math.sqrt(1 - Math.pow(beta2, step));
    }

    @Override
    void update(String name, Parameter p) {
        // Made at the first update, inside a training step: outside its arena, as they live for the whole run.
        Tensor m = firstMoments.computeIfAbsent(name, k -> ActivationArena.outside(() -> Tensor.zeros(p.dtype(), p.shape())));
        Tensor v = secondMoments.computeIfAbsent(name, k -> ActivationArena.outside(() -> Tensor.zeros(p.dtype(), p.shape())));
        OptimizerArrays.requireWhole(p.value(), name);
        OptimizerArrays.requireWhole(p.grad(), name + " (gradient)");
        double decayFactor = 1 - learningRate() * decay.get(name);
        // The update loop is Backend.adamW (PyTorch's order of operations, float arithmetic for F32 parameters); a
        // device backend runs it where the weights, gradients and moments already are.
        OptimizerUpdates.adamW(new AdamWStep(decayFactor, stepSize, beta1, beta2, biasCorrection2Sqrt, eps),
                p.value(), p.grad(), m, v);
    }

    /** The decay λ applied to {@code name} (0 for exempt parameters). */
    public double weightDecayOf(String name) {
        return decay.get(name);
    }

    @Override
    public Map<String, Tensor> stateTensors() {
        Map<String, Tensor> state = new LinkedHashMap<>();
        firstMoments.forEach((name, t) -> state.put("exp_avg." + name, t));
        secondMoments.forEach((name, t) -> state.put("exp_avg_sq." + name, t));
        return state;
    }

    @Override
    void clearState() {
        firstMoments.clear();
        secondMoments.clear();
    }

    @Override
    void restoreState(String name, Parameter p, Map<String, Tensor> state) {
        Tensor m = state.get("exp_avg." + name), v = state.get("exp_avg_sq." + name);
        if ((m == null) != (v == null)) throw new IllegalArgumentException("AdamW state: only one moment of " + name + " is present");
        if (m == null) return; // the parameter never had a gradient
        firstMoments.put(name, OptimizerArrays.ownedCopy(m, p, "exp_avg." + name));
        secondMoments.put(name, OptimizerArrays.ownedCopy(v, p, "exp_avg_sq." + name));
    }
}
