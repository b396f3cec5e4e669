package dev.ranker4j.kernels;

import dev.ranker4j.kernels.cpu.CpuBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Finds backends: the built-in ones plus any a jar provides through {@link ServiceLoader} (the TornadoVM backend
 * plugs in this way), and holds the one in use.
 *
 * <p>The default is chosen by the system property {@code ranker4j.backend} (default {@code cpu}, the fast backend; {@code reference} selects the scalar one); the CPU
 * backend's thread count by {@code ranker4j.threads} (default: available processors).
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

    private static volatile Backend current;

    /** The backend every op uses unless told otherwise. */
    public static Backend current() {
        Backend backend = current;
        if (backend == null) {
            synchronized (Backends.class) {
                if (current == null) current = byName(System.getProperty("ranker4j.backend", "cpu"));
                backend = current;
            }
        }
        return backend;
    }

    /** Replaces the current backend (the CLI's --backend option, tests). */
    public static void setCurrent(Backend backend) {
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
                throw new IllegalArgumentException("unknown backend '" + name + "'; available: " + known);
            }
        };
    }
}
