package dev.ranker4j.autograd.nn;

import dev.ranker4j.kernels.Backend;
import dev.ranker4j.kernels.DeviceBackend;
import dev.ranker4j.tensor.DType;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A piece of a model that owns named parameters and named submodules (PyTorch's {@code nn.Module}).
 *
 * <p>Names compose with dots, so a parameter's full name is its checkpoint key: a model that registers
 * {@code encoder → layer → 0 → attention → self → query → weight} reads and writes
 * {@code encoder.layer.0.attention.self.query.weight}, exactly as Hugging Face does. Registration order is the
 * iteration order, which makes optimizer state line up with parameters from run to run.
 */
public abstract class Module {
    private final Map<String, Parameter> parameters = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private boolean training = true;

    /** Registers a parameter under {@code name} (no dots) and returns it. */
    protected final Parameter registerParameter(String name, Parameter parameter) {
        checkName(name);
        parameters.put(name, parameter);
        return parameter;
    }

    /** Registers a submodule under {@code name} (no dots; "0", "1", ... for lists) and returns it. */
    protected final <M extends Module> M registerModule(String name, M module) {
        checkName(name);
        children.put(name, module);
        return module;
    }

    private void checkName(String name) {
        if (name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": name '" + name + "' must be non-empty and without dots");
        }
        if (parameters.containsKey(name) || children.containsKey(name)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": name '" + name + "' is already registered");
        }
    }

    /** Every parameter of this module and its submodules by dotted name, own parameters first, in registration order. */
    public final Map<String, Parameter> namedParameters() {
        Map<String, Parameter> named = new LinkedHashMap<>();
        collect("", named);
        return Collections.unmodifiableMap(named);
    }

    private void collect(String prefix, Map<String, Parameter> into) {
        parameters.forEach((name, p) -> into.put(prefix + name, p));
        children.forEach((name, child) -> child.collect(prefix + name + ".", into));
    }

    /** The parameters in {@link #namedParameters()} order: the order optimizers keep their state in. */
    public final List<Parameter> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    /** The direct submodules by name. */
    public final Map<String, Module> children() {
        return Collections.unmodifiableMap(children);
    }

    /** Training mode (dropout active) for this module and all below it. */
    public final void train() {
        setTraining(true);
    }

    /** Evaluation mode (dropout off) for this module and all below it. */
    public final void eval() {
        setTraining(false);
    }

    private void setTraining(boolean on) {
        training = on;
        children.values().forEach(child -> child.setTraining(on));
    }

    public final boolean isTraining() {
        return training;
    }

    /** Forgets every parameter's gradient. */
    public final void zeroGrad() {
        parameters().forEach(Parameter::zeroGrad);
    }

    /** Converts every parameter to {@code dtype} (F64 for exact checks, F32 for speed). */
    public final void to(DType dtype) {
        parameters().forEach(p -> p.to(dtype));
    }

    /**
     * Inference on a device backend: tells {@code backend} that this module's F32 parameter arrays will stay
     * unchanged across calls, so it may keep them on its device ({@link DeviceBackend#keepOnDevice}) instead of
     * sending them with every call. Host backends (CPU, reference) have no device: for them this does nothing. Updates through the tensor layer (an optimizer writing
     * {@code storage().floats()}) reach the device by themselves; code that keeps a parameter array and writes it
     * later calls {@link #parametersChanged}.
     */
    public final void keepParametersOnDevice(Backend backend) {
        for (Parameter p : parameters()) {
            if (p.dtype() == DType.F32 && backend instanceof DeviceBackend device) {
                device.keepOnDevice(p.value().storage().floats());
            }
        }
    }

    /** The parameters were updated in place on the host: {@code backend}'s device copies are stale. */
    public final void parametersChanged(Backend backend) {
        for (Parameter p : parameters()) {
            if (p.dtype() == DType.F32 && backend instanceof DeviceBackend device) {
                device.afterHostWrite(p.value().storage().floats());
            }
        }
    }

    /** Total number of parameter elements. */
    public final long parameterCount() {
        long count = 0;
        for (Parameter p : parameters()) count += p.value().numel();
        return count;
    }
}
