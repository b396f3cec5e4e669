package dev.ranker4j.tests.architecture;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * One name per thing: no two top-level classes of the main sources, in any module, share a simple name, so a name
 * in a stack trace, a doc or a conversation means one class. (Layers name their version of a concept apart:
 * {@code nn.LayerNorm} the module, {@code ops.LayerNormFn} the differentiable function, {@code TensorLayerNorm} the
 * tensor op, {@code LayerNormKernels} the loops.)
 */
class UniqueClassNamesTest {
    @Test
    void noTwoMainClassesShareASimpleName() {
        Map<String, List<String>> byName = new TreeMap<>();
        for (String module : SourceTree.modules()) {
            for (Path file : SourceTree.javaFiles(module, "main")) {
                String name = file.getFileName().toString().replace(".java", "");
                if (name.equals("package-info") || name.equals("module-info")) continue;
                byName.computeIfAbsent(name, n -> new ArrayList<>()).add(SourceTree.root().relativize(file).toString());
            }
        }
        assertTrue(byName.size() > 300, "expected the whole project's main classes, found " + byName.size());
        List<String> clashes = new ArrayList<>();
        byName.forEach((name, files) -> {
            if (files.size() > 1) clashes.add(name + ": " + String.join(", ", files));
        });
        if (!clashes.isEmpty()) fail("main classes sharing a simple name:\n" + String.join("\n", clashes));
    }
}
