package dev.ranker4j.tests.architecture;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The modules follow their dependency graph, and the README says what that graph is.
 *
 * <p>The README's layout table is the declaration: one row per module, its second column the modules it may import
 * directly (a module may also import what those may, transitively). This test fails when
 * <ul>
 *   <li>a module of the parent pom has no row, or a row names no module;</li>
 *   <li>the declared graph has a cycle, or the spine kernels ← tensor ← autograd ← transformer ← training ← cli runs
 *       backwards anywhere;</li>
 *   <li>a pom depends on a ranker4j module its row does not allow (test-scope dependencies count for tests only);</li>
 *   <li>a source file's package does not lie under its module's package ({@code hf-io} → {@code dev.ranker4j.hfio},
 *       {@code kernels-tornadovm} → {@code dev.ranker4j.kernels.tornadovm}, else {@code dev.ranker4j.<module>});</li>
 *   <li>code (comments and strings aside) names a class of a module it may not import.</li>
 * </ul>
 */
class ModuleDependencyTest {
    /** Each module is built on the one before it. */
    private static final List<String> SPINE = List.of("kernels", "tensor", "autograd", "transformer", "training", "cli");
    /** Test helpers, on every module's test class path. */
    private static final String TESTKIT = "testkit";

    private static final Pattern ROW = Pattern.compile("^\\|\\s*`([a-z0-9-]+)`\\s*\\|([^|]*)\\|", Pattern.MULTILINE);
    private static final Pattern NAME = Pattern.compile("`([a-z0-9-]+)`");
    private static final Pattern DEPENDENCY = Pattern.compile("<dependency>(.*?)</dependency>", Pattern.DOTALL);
    private static final Pattern RANKER4J_ARTIFACT = Pattern.compile("<artifactId>ranker4j-([a-z0-9-]+)</artifactId>");
    private static final Pattern PACKAGE = Pattern.compile("^package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);
    private static final Pattern REFERENCE = Pattern.compile("\\bdev\\.ranker4j(?:\\.[a-z][a-z0-9_]*)+");

    /** The README's layout table: module → the modules it may import directly. */
    static Map<String, Set<String>> declared() {
        String readme = SourceTree.read(SourceTree.root().resolve("README.md"));
        String layout = readme.substring(readme.indexOf("## Layout"));
        layout = layout.substring(0, layout.indexOf("\n## ", 1) < 0 ? layout.length() : layout.indexOf("\n## ", 1));
        Map<String, Set<String>> graph = new LinkedHashMap<>();
        Matcher row = ROW.matcher(layout);
        while (row.find()) {
            Set<String> deps = new LinkedHashSet<>();
            Matcher name = NAME.matcher(row.group(2));
            while (name.find()) deps.add(name.group(1));
            graph.put(row.group(1), deps);
        }
        return graph;
    }

    static Set<String> closure(Map<String, Set<String>> graph, Set<String> start) {
        Set<String> seen = new TreeSet<>();
        List<String> todo = new ArrayList<>(start);
        while (!todo.isEmpty()) {
            String m = todo.removeLast();
            if (seen.add(m)) todo.addAll(graph.getOrDefault(m, Set.of()));
        }
        return seen;
    }

    static String basePackage(String module) {
        return switch (module) {
            case "hf-io" -> "dev.ranker4j.hfio";
            case "kernels-tornadovm" -> "dev.ranker4j.kernels.tornadovm";
            default -> "dev.ranker4j." + module;
        };
    }

    /** The module owning a package: the one with the longest base package that prefixes it, or null. */
    static String owner(String pkg, Set<String> modules) {
        String best = null;
        for (String m : modules) {
            String base = basePackage(m);
            if ((pkg.equals(base) || pkg.startsWith(base + ".")) && (best == null || base.length() > basePackage(best).length())) {
                best = m;
            }
        }
        return best;
    }

    @Test
    void everyModuleHasARowInTheReadmeAndEveryRowIsAModule() {
        Map<String, Set<String>> graph = declared();
        assertEquals(new TreeSet<>(SourceTree.modules()), new TreeSet<>(graph.keySet()),
                "README.md's layout table must have one row per module of pom.xml (with the modules it may import)");
        for (var entry : graph.entrySet()) {
            for (String dep : entry.getValue()) {
                assertTrue(graph.containsKey(dep), "README.md: " + entry.getKey() + " may import '" + dep + "', which is no module");
            }
        }
    }

    @Test
    void theDeclaredGraphIsAcyclicAndTheSpineRunsOneWay() {
        Map<String, Set<String>> graph = declared();
        for (String m : graph.keySet()) {
            assertTrue(!closure(graph, graph.get(m)).contains(m), "README.md's module graph has a cycle through " + m);
        }
        for (int i = 1; i < SPINE.size(); i++) {
            String lower = SPINE.get(i - 1), upper = SPINE.get(i);
            assertTrue(closure(graph, graph.get(upper)).contains(lower), upper + " must be built on " + lower);
        }
    }

    @Test
    void everyPomDependsOnlyOnWhatItsRowAllows() {
        Map<String, Set<String>> graph = declared();
        List<String> problems = new ArrayList<>();
        for (String module : graph.keySet()) {
            Set<String> allowed = closure(graph, graph.get(module));
            String pom = SourceTree.read(SourceTree.root().resolve(module).resolve("pom.xml"));
            Matcher dependency = DEPENDENCY.matcher(pom);
            Set<String> compileDeps = new TreeSet<>();
            while (dependency.find()) {
                Matcher artifact = RANKER4J_ARTIFACT.matcher(dependency.group(1));
                if (!artifact.find()) continue;
                String dep = artifact.group(1);
                boolean testScope = dependency.group(1).contains("<scope>test</scope>");
                if (dep.equals(TESTKIT) || testScope) continue;
                compileDeps.add(dep);
                if (!allowed.contains(dep)) {
                    problems.add(module + "/pom.xml depends on " + dep + ", which README.md's row for " + module
                            + " does not allow (allowed: " + allowed + ")");
                }
            }
            for (String dep : graph.get(module)) {
                if (!compileDeps.contains(dep)) {
                    problems.add("README.md lets " + module + " import " + dep + ", but " + module + "/pom.xml does not depend on it");
                }
            }
        }
        if (!problems.isEmpty()) fail(String.join("\n", problems));
    }

    @Test
    void codeImportsOnlyFromModulesBelowIt() {
        Map<String, Set<String>> graph = declared();
        List<String> problems = new ArrayList<>();
        int files = 0;
        for (String module : graph.keySet()) {
            Set<String> mainAllowed = closure(graph, graph.get(module));
            mainAllowed.add(module);
            Set<String> testAllowed = closure(graph, testDependencies(module, graph));
            testAllowed.addAll(mainAllowed);
            testAllowed.add(TESTKIT);
            for (String set : List.of("main", "test")) {
                for (Path file : SourceTree.javaFiles(module, set)) {
                    files++;
                    String source = SourceTree.read(file);
                    String where = SourceTree.root().relativize(file).toString();
                    Matcher pkg = PACKAGE.matcher(source);
                    if (!pkg.find()) {
                        problems.add(where + ": no package declaration");
                        continue;
                    }
                    String base = basePackage(module);
                    if (!(pkg.group(1).equals(base) || pkg.group(1).startsWith(base + "."))) {
                        problems.add(where + ": package " + pkg.group(1) + " is not under " + base + ", the package of module " + module);
                    }
                    String code = SourceTree.codeOnly(source);
                    Matcher ref = REFERENCE.matcher(code);
                    while (ref.find()) {
                        String target = owner(ref.group(), graph.keySet());
                        if (target == null) {
                            problems.add(where + ": " + ref.group() + " belongs to no module");
                        } else if (!(set.equals("main") ? mainAllowed : testAllowed).contains(target)) {
                            int line = 1 + (int) code.substring(0, ref.start()).chars().filter(c -> c == '\n').count();
                            problems.add(where + ":" + line + ": " + module + " (" + set + ") uses " + ref.group()
                                    + " of module " + target + "; README.md lets " + module + " import only " + mainAllowed);
                        }
                    }
                }
            }
        }
        assertTrue(files > 500, "expected the whole project's sources, found " + files + " files under " + SourceTree.root());
        if (!problems.isEmpty()) fail(problems.size() + " arrows run the wrong way:\n" + String.join("\n", problems));
    }

    /** The module's own row plus its pom's test-scope ranker4j dependencies. */
    private static Set<String> testDependencies(String module, Map<String, Set<String>> graph) {
        Set<String> deps = new TreeSet<>(graph.get(module));
        Matcher dependency = DEPENDENCY.matcher(SourceTree.read(SourceTree.root().resolve(module).resolve("pom.xml")));
        while (dependency.find()) {
            Matcher artifact = RANKER4J_ARTIFACT.matcher(dependency.group(1));
            if (artifact.find()) deps.add(artifact.group(1));
        }
        return deps;
    }
}
