package dev.ranker4j.kernels.tornadovm;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The checks that need no TornadoVM class: an SDK is installed (TORNADOVM_HOME with its argfile) and this JVM was
 * started with that argfile. They run before anything touches TornadoVM's API, because without the argfile those
 * classes are not even loadable: the JVM would fail with a NoClassDefFoundError instead of saying what is missing.
 */
final class TornadoEnvironment {
    private TornadoEnvironment() {}

    /** Why TornadoVM cannot be loaded in this JVM, in one line, or null when it can. */
    static String problem() {
        String home = System.getenv("TORNADOVM_HOME");
        if (home == null || home.isBlank()) {
            return "TORNADOVM_HOME is not set (install a TornadoVM SDK; see docs/TORNADOVM.md)";
        }
        Path argfile = Path.of(home, "tornado-argfile");
        if (!Files.isRegularFile(argfile)) {
            return "no " + argfile + ": TORNADOVM_HOME does not point at a TornadoVM SDK";
        }
        if (ModuleLayer.boot().findModule("tornado.runtime").isEmpty()) {
            return "this JVM was not started with @" + argfile + " (TornadoVM's modules are not loaded)";
        }
        return null;
    }
}
