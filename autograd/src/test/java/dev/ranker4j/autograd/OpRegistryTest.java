package dev.ranker4j.autograd;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Adding an op without its gradient check is impossible to miss: these fail first. */
class OpRegistryTest {

    @Test
    void everyRegisteredOpHasAGradientCheckSpec() {
        List<String> missing = OpRegistry.names().stream().filter(name -> !GradientSpecs.SPECS.containsKey(name)).toList();
        assertTrue(missing.isEmpty(), "registered ops without a gradient-check spec in GradientSpecs: " + missing);
    }

    @Test
    void everySpecBelongsToARegisteredOp() {
        List<String> stray = GradientSpecs.SPECS.keySet().stream().filter(name -> !OpRegistry.names().contains(name)).toList();
        assertTrue(stray.isEmpty(), "specs for ops missing from OpRegistry: " + stray);
    }

    @Test
    void everyFunctionClassInTheOpsPackageIsRegistered() throws IOException, URISyntaxException {
        Path opsDirectory = Path.of(dev.ranker4j.autograd.ops.MatmulFn.class.getResource("MatmulFn.class").toURI()).getParent();
        Set<String> registered = new HashSet<>();
        OpRegistry.entries().forEach(entry -> registered.add(entry.definedIn().getName()));
        int functions = 0;
        try (Stream<Path> files = Files.list(opsDirectory)) {
            for (Path file : files.toList()) {
                String simple = file.getFileName().toString();
                // top-level and nested op classes (ElementwiseFns$AddFn), not anonymous ones ($1) or lambdas
                if (!simple.endsWith(".class") || simple.matches(".*\\$(\\d|\\$).*")) continue;
                String className = "dev.ranker4j.autograd.ops." + simple.substring(0, simple.length() - ".class".length());
                Class<?> type = loadClass(className);
                if (!DifferentiableFunction.class.isAssignableFrom(type) || java.lang.reflect.Modifier.isAbstract(type.getModifiers())) continue;
                functions++;
                assertTrue(registered.contains(className), className + " is a DifferentiableFunction but is not listed in OpRegistry");
            }
        }
        assertTrue(functions >= 20, "expected the ops package to hold the op classes, found " + functions);
    }

    @Test
    void namesAreUnique() {
        assertEquals(OpRegistry.names().size(), new HashSet<>(OpRegistry.names()).size());
    }

    private static Class<?> loadClass(String name) {
        try {
            return Class.forName(name);
        } catch (ClassNotFoundException e) {
            throw new AssertionError(e);
        }
    }
}
