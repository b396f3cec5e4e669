package dev.ranker4j.autograd.nn;

import dev.ranker4j.tensor.DType;
import dev.ranker4j.tensor.SeededRandom;
import dev.ranker4j.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * How layers fill the parameters they create: drawn now ({@link #random}), or only for those a checkpoint does not
 * provide ({@link #deferred}).
 *
 * <p>Loading a model used to draw every weight from N(0, std²) and then overwrite it with the checkpoint's value:
 * 22 M Gaussian draws and 90 MB of arrays for all-MiniLM-L6-v2, thrown away at once. With a deferred Init, a new
 * parameter holds a placeholder (one zero broadcast to its shape: no memory) until the loader {@link Parameter#set
 * sets} it; {@link #initializeUnset} then draws real values, in creation order, for the parameters still holding
 * their placeholder — the weights the checkpoint lacks, which Hugging Face also initialises randomly (a pooler or a
 * classifier head added on top of an encoder).
 *
 * <p>The values drawn for those missing weights depend on the seed but are not the ones an eager
 * {@link #random} Init would give them (fewer numbers were drawn before them).
 */
public final class Init {
    private final SeededRandom random;
    private final boolean deferred;
    private final List<Pending> pending = new ArrayList<>();

    /** A parameter still holding its placeholder, and how to fill it. */
    private record Pending(Parameter parameter, Tensor placeholder, java.util.function.Supplier<Tensor> value) {}

    private Init(SeededRandom random, boolean deferred) {
        this.random = random;
        this.deferred = deferred;
    }

    /** Every parameter is initialised when it is created, from {@code random}. */
    public static Init random(SeededRandom random) {
        return new Init(random, false);
    }

    /** Parameters wait for a checkpoint; {@link #initializeUnset} fills the ones it did not provide from {@code random}. */
    public static Init deferred(SeededRandom random) {
        return new Init(random, true);
    }

    /** The generator, for modules that need one at run time (dropout). */
    public SeededRandom generator() {
        return random;
    }

    /** A new parameter drawn from N(0, std²). */
    public Parameter normal(DType dtype, double std, int... shape) {
        return create(dtype, shape, () -> random.normal(dtype, 0, std, shape));
    }

    /** A new parameter of zeros (biases). */
    public Parameter zeros(DType dtype, int... shape) {
        return create(dtype, shape, () -> Tensor.zeros(dtype, shape));
    }

    /** A new parameter of ones (layer-norm scales). */
    public Parameter ones(DType dtype, int... shape) {
        return create(dtype, shape, () -> Tensor.ones(dtype, shape));
    }

    private Parameter create(DType dtype, int[] shape, java.util.function.Supplier<Tensor> value) {
        if (!deferred) return new Parameter(value.get());
        Tensor placeholder = Tensor.zeros(dtype).expand(shape);
        Parameter parameter = new Parameter(placeholder);
        pending.add(new Pending(parameter, placeholder, value));
        return parameter;
    }

    /**
     * Initialises every parameter this Init deferred and nobody has set since, in creation order; returns how many.
     * Call it once the checkpoint is loaded (it does nothing for an eager Init).
     */
    public int initializeUnset() {
        int count = 0;
        for (Pending p : pending) {
            if (p.parameter().value() != p.placeholder()) continue;
            p.parameter().set(p.value().get());
            count++;
        }
        pending.clear();
        return count;
    }
}
