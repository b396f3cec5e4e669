package dev.ranker4j.kernels;

import dev.ranker4j.kernels.cpu.CpuBackend;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Finds backends: the built-in ones plus any a jar provides through {@link ServiceLoader} (the TornadoVM backend
 * plugs in this way), and holds the one in use.
 *
 * <p>The default is chosen by the system property {@code ranker4j.backend}: {@code cpu} (the default, the fast
 * backend), {@code reference} (the scalar one), {@code tornadovm} (fails when TornadoVM is not available), or
 * {@code auto} (TornadoVM when available, else the CPU backend with a one-line notice on stderr). The CPU backend's
 * thread count comes from {@code ranker4j.threads} (default: available processors).
 */
public final class Backends {
    private Backends() {}

    /** A provider of one backend, registered in META-INF/services/dev.ranker4j.kernels.Backends$Provider. */
    public interface Provider {
        /** The name users select it by, e.g. "tornadovm". */
        String name();

        /** Creates the backend, or throws an exception whose message says in one line why it is unavailable. */
        Backend create();
    }

    /** The device backend {@code auto} tries first; it plugs in through a {@link Provider}. */
    public static final String DEVICE_BACKEND = "tornadovm";

    /** The backend {@link #select} chose, and the notice to show when {@code auto} fell back (else null). */
    public record Selection(Backend backend, String notice) {}

    private static volatile Backend current;

    /** The backend every op uses unless told otherwise. */
    public static Backend current() {
        Backend backend = current;
        if (backend == null) {
            synchronized (Backends.class) {
                if (current == null) {
                    Selection selection = select(System.getProperty("ranker4j.backend", "cpu"));
                    if (selection.notice() != null) System.err.println(selection.notice());
                    current = selection.backend();
                }
                backend = current;
            }
        }
        return backend;
    }

    /**
     * Replaces the current backend (the CLI's --backend option, tests). The one it replaces first brings every
     * array it holds newer on a device back to the host ({@link DeviceBackend#synchronizeHost}).
     */
    public static synchronized void setCurrent(Backend backend) {
        Backend before = current;
        if (before instanceof DeviceBackend device && before != backend) device.synchronizeHost();
        current = backend;
    }

    /** The thread count the CPU backend uses: {@code ranker4j.threads}, else the available processors. */
    public static int defaultThreads() {
        String configured = System.getProperty("ranker4j.threads");
        if (configured == null) return Runtime.getRuntime().availableProcessors();
        try {
            int threads = Integer.parseInt(configured.trim());
            if (threads < 1) throw new NumberFormatException();
            return threads;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("ranker4j.threads must be a positive integer, got '" + configured + "'");
        }
    }

    /**
     * Resolves a user's choice: {@code auto} is the {@link #DEVICE_BACKEND} when it can be created, else the CPU
     * backend together with a one-line notice saying why; any other name is {@link #byName}, whose exception
     * (one line) propagates when that backend is unavailable.
     */
    public static Selection select(String name) {
        if (!name.equals("auto")) return new Selection(byName(name), null);
        try {
            return new Selection(byName(DEVICE_BACKEND), null);
        } catch (RuntimeException | LinkageError unavailable) { // LinkageError: a provider whose runtime is missing
            return new Selection(byName("cpu"), "ranker4j: backend auto: " + unavailable.getMessage() + "; using cpu");
        }
    }

    /** Creates the backend called {@code name}: "reference", "cpu", or one a {@link Provider} offers. */
    public static Backend byName(String name) {
        return switch (name) {
            case "reference" -> new ReferenceBackend();
            case "cpu" -> new CpuBackend(defaultThreads());
            default -> {
                List<String> known = new ArrayList<>(List.of("reference", "cpu"));
                for (Provider provider : ServiceLoader.load(Provider.class)) {
                    if (provider.name().equals(name)) yield provider.create();
                    known.add(provider.name());
                }
                if (name.equals(DEVICE_BACKEND)) {
                    // A known name whose module is not on the class path: say what is missing.
                    String home = System.getenv("TORNADOVM_HOME");
                    throw new IllegalStateException("TornadoVM backend unavailable: " + (home == null || home.isBlank()
                            ? "TORNADOVM_HOME is not set (install a TornadoVM SDK; see docs/TORNADOVM.md)"
                            : "ranker4j-kernels-tornadovm is not on the class path (run through ./ranker4j, which builds"
                              + " it with the tornadovm profile; see docs/TORNADOVM.md)"));
                }
                throw new IllegalArgumentException("unknown backend '" + name + "'; available: " + known + " or auto");
            }
        };
    }
}
