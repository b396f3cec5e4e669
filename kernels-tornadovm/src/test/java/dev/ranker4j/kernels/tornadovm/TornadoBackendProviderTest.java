package dev.ranker4j.kernels.tornadovm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ServiceLoader;
import java.util.stream.Collectors;

import dev.ranker4j.kernels.Backend;
import dev.ranker4j.kernels.Backends;
import org.junit.jupiter.api.Test;

/** The backend is found by name through ServiceLoader, and the probe says what it found. */
class TornadoBackendProviderTest {

    @Test
    void registeredUnderItsName() {
        var names = ServiceLoader.load(Backends.Provider.class).stream()
                .map(provider -> provider.get().name()).collect(Collectors.toSet());
        assertTrue(names.contains("tornadovm"), "providers found: " + names);
    }

    @Test
    void byNameCreatesTheDeviceBackend() {
        TornadoRuntimeProbe.Result probe = TornadoRuntimeProbe.probe();
        assumeTrue(probe.available(), probe.problem());
        Backend backend = Backends.byName("tornadovm");
        TornadoBackend tornado = assertInstanceOf(TornadoBackend.class, backend);
        assertEquals("tornadovm", tornado.name());
        assertEquals(probe.device(), tornado.device());
        tornado.close();
    }

    @Test
    void autoPicksTheDeviceWithoutANotice() {
        TornadoRuntimeProbe.Result probe = TornadoRuntimeProbe.probe();
        assumeTrue(probe.available(), probe.problem());
        Backends.Selection auto = Backends.select("auto");
        TornadoBackend tornado = assertInstanceOf(TornadoBackend.class, auto.backend());
        assertEquals(null, auto.notice());
        tornado.close();
    }
}
