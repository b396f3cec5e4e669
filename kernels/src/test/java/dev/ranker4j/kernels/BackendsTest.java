package dev.ranker4j.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ranker4j.kernels.cpu.CpuBackend;

import org.junit.jupiter.api.Test;

class BackendsTest {

    @Test
    void cpuIsRegisteredAndNamed() {
        Backend cpu = Backends.byName("cpu");
        assertInstanceOf(CpuBackend.class, cpu);
        assertEquals("cpu", cpu.name());
        assertEquals(Backends.defaultThreads(), cpu.threads());
        ((CpuBackend) cpu).close();
        assertEquals("reference", Backends.byName("reference").name());
    }

    @Test
    void unknownBackendNamesTheAvailableOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Backends.byName("gpu"));
        assertTrue(e.getMessage().contains("cpu") && e.getMessage().contains("reference"), e.getMessage());
    }

    @Test
    void autoFallsBackToCpuWithANoticeWhenNoDeviceBackendIsInstalled() {
        // The kernels module alone has no TornadoVM provider on its test class path.
        Backends.Selection auto = Backends.select("auto");
        assertInstanceOf(CpuBackend.class, auto.backend());
        assertTrue(auto.notice().startsWith("ranker4j: backend auto: TornadoVM backend unavailable: ")
                && auto.notice().endsWith("; using cpu") && auto.notice().lines().count() == 1, auto.notice());
        ((CpuBackend) auto.backend()).close();
        assertEquals(null, Backends.select("reference").notice());
    }

    @Test
    void tornadovmWithoutItsModuleIsOneClearLine() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Backends.byName("tornadovm"));
        assertTrue(e.getMessage().startsWith("TornadoVM backend unavailable: ") && e.getMessage().lines().count() == 1,
                e.getMessage());
    }

    @Test
    void outOfRangeIdsGetAClearMessage() {
        try (CpuBackend cpu = new CpuBackend(1)) {
            IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
                    () -> ArrayKernels.gatherRows(cpu, new float[6], 3, new int[]{0, 2}, 2, new float[6], 0));
            assertTrue(e.getMessage().contains("gatherRows") && e.getMessage().contains("id 2"), e.getMessage());
        }
    }
}
