package dev.ranker4j.cli;

import dev.ranker4j.kernels.Backend;
import dev.ranker4j.kernels.Backends;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The {@code --backend cpu|tornadovm|auto} option of every subcommand that computes. Mix it in with
 * {@code @Mixin BackendOption backend;} and call {@link #install()} before the first tensor op.
 *
 * <p>{@code cpu} is the Vector API backend; {@code tornadovm} runs the kernels on the TornadoVM device and fails
 * with one line when TornadoVM is unavailable (the launcher starts the JVM with TornadoVM's argfile when
 * {@code TORNADOVM_HOME} is set); {@code auto} takes TornadoVM when it is available and otherwise the CPU backend,
 * with a one-line notice on stderr. Without the option the system property {@code ranker4j.backend} decides
 * (default {@code cpu}).
 */
public final class BackendOption {

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--backend", paramLabel = "cpu|tornadovm|auto",
            description = "Where the kernels run: cpu, tornadovm (the TornadoVM device; needs TORNADOVM_HOME), or auto"
                    + " (tornadovm when available, else cpu). Default: the ranker4j.backend property, else cpu.")
    String name;

    /**
     * Makes the requested backend {@link Backends#current()} and returns it. Without the option, or when the current
     * backend already has the requested name, the current one is kept (no second CPU thread pool when commands run
     * in-process one after another).
     *
     * @throws RuntimeException with a one-line message when the backend is unknown or (asked for explicitly)
     *                          unavailable; the command line prints it and exits non-zero
     */
    public Backend install() {
        if (name == null) return Backends.current();
        Backend current = Backends.current();
        if (current.name().equals(name)) return current;
        Backends.Selection selection = Backends.select(name);
        if (selection.notice() != null) command.commandLine().getErr().println(selection.notice());
        Backends.setCurrent(selection.backend());
        return selection.backend();
    }
}
