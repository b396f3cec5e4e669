package dev.ranker4j.autograd.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Submodules named "0", "1", ... in order (PyTorch's {@code nn.ModuleList}): {@code encoder.layer.3.…} keys. */
public final class ModuleList<M extends Module> extends Module {
    private final List<M> modules = new ArrayList<>();

    public M add(M module) {
        registerModule(Integer.toString(modules.size()), module);
        modules.add(module);
        return module;
    }

    public M get(int index) {
        return modules.get(index);
    }

    public int size() {
        return modules.size();
    }

    public List<M> asList() {
        return Collections.unmodifiableList(modules);
    }
}
