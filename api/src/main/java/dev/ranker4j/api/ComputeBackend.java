package dev.ranker4j.api;

import dev.ranker4j.kernels.Backend;
import dev.ranker4j.kernels.Backends;
import dev.ranker4j.kernels.cpu.CpuBackend;

/** The process's compute backend as the API sees it: which one runs, and the {@code threads} option. */
final class ComputeBackend {
    private ComputeBackend() {}

    /** With {@code threads > 0}, makes a CPU backend with that many threads the current one (unless it already is). */
    static void useThreads(int threads) {
        if (threads == 0) return;
        synchronized (ComputeBackend.class) {
            Backend current = Backends.current();
            if (current instanceof CpuBackend && current.threads() == threads) return;
            Backends.setCurrent(new CpuBackend(threads));
        }
    }

    /** The current backend's name and thread count, e.g. {@code cpu} and 2. */
    static Backend current() {
        return Backends.current();
    }
}
