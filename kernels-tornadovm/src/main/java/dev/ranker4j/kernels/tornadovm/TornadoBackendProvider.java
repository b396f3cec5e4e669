package dev.ranker4j.kernels.tornadovm;

import dev.ranker4j.kernels.Backend;
import dev.ranker4j.kernels.Backends;

/** Offers the TornadoVM backend to {@link Backends} under the name "tornadovm". */
public final class TornadoBackendProvider implements Backends.Provider {

    @Override
    public String name() {
        return "tornadovm";
    }

    /** @throws IllegalStateException with one line saying why, when TornadoVM cannot run kernels here */
    @Override
    public Backend create() {
        // First the checks that load no TornadoVM class: without the argfile, touching the probe would fail to link.
        String environment = TornadoEnvironment.problem();
        if (environment != null) throw new IllegalStateException("TornadoVM backend unavailable: " + environment);
        TornadoRuntimeProbe.Result probe = TornadoRuntimeProbe.probe();
        if (!probe.available()) throw new IllegalStateException(probe.problem());
        return new TornadoBackend(probe.device(), TornadoBackend.defaultFallback());
    }
}
