package dev.ranker4j.training.train;

import dev.ranker4j.autograd.nn.Dropout;
import dev.ranker4j.autograd.nn.Module;
import dev.ranker4j.tensor.SeededRandom;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The random generators behind a model's dropout masks, in a fixed order (first use in module order). A model's
 * dropouts usually share one generator; saving each distinct generator's state and restoring it with the same
 * sharing makes the masks after a resume the ones the uninterrupted run would have drawn.
 */
public final class DropoutGenerators {
    private DropoutGenerators() {}

    /** The (seed, counter) of each distinct generator, in first-use order. */
    public static List<SeededRandom.State> states(Module model) {
        List<SeededRandom.State> states = new ArrayList<>();
        for (SeededRandom generator : distinct(model)) states.add(generator.state());
        return states;
    }

    /** Makes the dropouts continue from {@code states} (as {@link #states} listed them), keeping their sharing. */
    public static void restore(Module model, List<SeededRandom.State> states) {
        List<SeededRandom> generators = distinct(model);
        if (generators.size() != states.size()) {
            throw new IllegalArgumentException("trainer state holds " + states.size() + " dropout generator states, the model has "
                    + generators.size() + " generators");
        }
        Map<SeededRandom, SeededRandom> replacement = new IdentityHashMap<>();
        for (int i = 0; i < generators.size(); i++) replacement.put(generators.get(i), new SeededRandom(states.get(i)));
        forEachDropout(model, d -> d.setGenerator(replacement.get(d.generator())));
    }

    private static List<SeededRandom> distinct(Module model) {
        Map<SeededRandom, Boolean> seen = new IdentityHashMap<>();
        List<SeededRandom> ordered = new ArrayList<>();
        forEachDropout(model, d -> {
            if (seen.put(d.generator(), Boolean.TRUE) == null) ordered.add(d.generator());
        });
        return ordered;
    }

    private static void forEachDropout(Module module, java.util.function.Consumer<Dropout> action) {
        if (module instanceof Dropout d) action.accept(d);
        for (Module child : module.children().values()) forEachDropout(child, action);
    }
}
