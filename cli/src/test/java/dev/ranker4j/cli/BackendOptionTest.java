package dev.ranker4j.cli;

import dev.ranker4j.kernels.Backend;
import dev.ranker4j.kernels.Backends;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.Callable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --backend} as a command sees it. This module's test class path has no TornadoVM provider, which is
 * exactly the situation of a user without an SDK: {@code tornadovm} must fail in one line, {@code auto} must fall
 * back to the CPU backend with a notice.
 */
class BackendOptionTest {

    /** A stand-in for a computing subcommand: installs the backend and prints its name. */
    @Command(name = "compute")
    static final class Compute implements Callable<Integer> {
        @Mixin
        BackendOption backend;

        @Override
        public Integer call() {
            Backend installed = backend.install();
            return Backends.current() == installed && installed.name().equals(expectedName) ? 0 : 3;
        }

        static String expectedName;
    }

    private Backend before;

    @BeforeEach
    void remember() {
        before = Backends.current();
    }

    @AfterEach
    void restore() {
        Backends.setCurrent(before);
    }

    private static CliRun run(String expectedName, String... args) {
        Compute.expectedName = expectedName;
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cli = Main.reportErrorsInOneLine(new CommandLine(new Compute()));
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return new CliRun(cli.execute(args), out.toString(), err.toString());
    }

    @Test
    void cpuIsInstalledAsCurrent() {
        CliRun run = run("cpu", "--backend", "cpu");
        assertEquals(0, run.exitCode(), run.err());
        assertEquals("", run.err());
    }

    @Test
    void tornadovmWithoutTornadoVmIsOneLineAndExitOne() {
        CliRun run = run("tornadovm", "--backend", "tornadovm");
        assertEquals(1, run.exitCode());
        assertTrue(run.err().startsWith("compute: TornadoVM backend unavailable: "), run.err());
        assertEquals(1, run.err().lines().count(), run.err());
    }

    @Test
    void autoFallsBackToCpuWithAOneLineNotice() {
        CliRun run = run("cpu", "--backend=auto");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.err().startsWith("ranker4j: backend auto: TornadoVM backend unavailable: "), run.err());
        assertTrue(run.err().strip().endsWith("; using cpu"), run.err());
        assertEquals(1, run.err().lines().count(), run.err());
    }

    @Test
    void anUnknownNameListsTheChoices() {
        CliRun run = run("gpu", "--backend", "gpu");
        assertEquals(1, run.exitCode());
        assertTrue(run.err().contains("unknown backend 'gpu'") && run.err().contains("auto"), run.err());
    }
}
