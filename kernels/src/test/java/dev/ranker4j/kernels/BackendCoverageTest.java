package dev.ranker4j.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every kernel of the {@link Backend} SPI must have a property comparing the fast backend with the reference: this
 * test reflects over Backend's declared methods and over every {@link Covers} annotation in the test classes, and
 * names any method nobody covers. (minitorch's op registry plays the same role.)
 */
class BackendCoverageTest {

    /** Backend methods that are not kernels. */
    private static final Set<String> NOT_KERNELS = Set.of("name", "threads");

    /** The method's name: one SPI method serves both precisions (its operands are {@link ArrayRef}s). */
    static String key(Method method) {
        return method.getName();
    }

    @Test
    void everyBackendMethodHasAProperty() throws Exception {
        Map<String, Method> kernels = new HashMap<>();
        for (Method method : Backend.class.getDeclaredMethods()) {
            if (NOT_KERNELS.contains(method.getName())) continue;
            Method clash = kernels.put(key(method), method);
            assertTrue(clash == null, "two Backend methods share the coverage key " + key(method)
                    + ": make Covers keys finer");
        }
        Set<String> covered = new TreeSet<>();
        for (Class<?> testClass : testClasses()) {
            for (Method method : testClass.getDeclaredMethods()) {
                Covers covers = method.getAnnotation(Covers.class);
                if (covers != null) covered.addAll(List.of(covers.value()));
            }
        }
        Set<String> uncovered = new TreeSet<>(kernels.keySet());
        uncovered.removeAll(covered);
        assertEquals(Set.of(), uncovered, "Backend methods without a fast-vs-reference property");
        Set<String> unknown = new TreeSet<>(covered);
        unknown.removeAll(kernels.keySet());
        assertEquals(Set.of(), unknown, "@Covers names that are no Backend method (typo, or a removed method)");
    }

    /** All classes compiled into the test output directory. */
    private static List<Class<?>> testClasses() throws IOException, URISyntaxException {
        Path root = Path.of(BackendCoverageTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.toString().endsWith(".class"))
                    .map(p -> root.relativize(p).toString().replace(java.io.File.separatorChar, '.'))
                    .map(name -> name.substring(0, name.length() - ".class".length()))
                    .map(BackendCoverageTest::load)
                    .toList();
        }
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name, false, BackendCoverageTest.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }
}
