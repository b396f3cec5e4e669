package dev.ranker4j.tests.architecture;

import dev.ranker4j.kernels.Backend;
import dev.ranker4j.kernels.DeviceBackend;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Short parameter lists: a kernel call reads as what it computes, not as a row of positional numbers. Related
 * parameters travel as small records (GemmShape, Matrix, AttentionInputs, LayerNormStats, ...).
 */
class ParameterCountTest {
    private static final int SPI_LIMIT = 8, PUBLIC_LIMIT = 10;

    @Test
    void noBackendSpiMethodTakesMoreThanEightParameters() {
        List<String> tooLong = new ArrayList<>();
        for (Class<?> spi : List.of(Backend.class, DeviceBackend.class)) {
            for (Method method : spi.getDeclaredMethods()) {
                if (method.getParameterCount() > SPI_LIMIT) tooLong.add(signature(method));
            }
        }
        if (!tooLong.isEmpty()) fail("SPI methods with more than " + SPI_LIMIT + " parameters:\n" + String.join("\n", tooLong));
    }

    @Test
    void noPublicMethodInKernelsOrTensorTakesMoreThanTenParameters() throws ClassNotFoundException {
        List<String> tooLong = new ArrayList<>();
        int classes = 0;
        for (String module : List.of("kernels", "tensor")) {
            Path root = SourceTree.root().resolve(module).resolve("src/main/java");
            for (Path file : SourceTree.javaFiles(module, "main")) {
                String name = root.relativize(file).toString().replace('/', '.').replaceAll("\\.java$", "");
                if (name.endsWith("package-info")) continue;
                Class<?> type = Class.forName(name, false, getClass().getClassLoader());
                for (Class<?> c : withNested(type)) {
                    if (!Modifier.isPublic(c.getModifiers())) continue;
                    classes++;
                    List<Executable> members = new ArrayList<>(List.of(c.getDeclaredMethods()));
                    for (Constructor<?> constructor : c.getDeclaredConstructors()) members.add(constructor);
                    for (Executable member : members) {
                        if (Modifier.isPublic(member.getModifiers()) && member.getParameterCount() > PUBLIC_LIMIT) {
                            tooLong.add(signature(member));
                        }
                    }
                }
            }
        }
        assertTrue(classes > 20, "expected the public classes of kernels and tensor, found " + classes);
        if (!tooLong.isEmpty()) {
            fail("public methods with more than " + PUBLIC_LIMIT + " parameters:\n" + String.join("\n", tooLong));
        }
    }

    private static List<Class<?>> withNested(Class<?> type) {
        List<Class<?>> all = new ArrayList<>(List.of(type));
        for (Class<?> nested : type.getDeclaredClasses()) all.addAll(withNested(nested));
        return all;
    }

    private static String signature(Executable member) {
        return member.getDeclaringClass().getName() + "." + member.getName() + " (" + member.getParameterCount()
                + " parameters)";
    }
}
