package dev.ranker4j.tests.architecture;

import org.junit.jupiter.api.Test;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every Java code block of the docs compiles against the project as it is, so a doc cannot name a method that does
 * not exist. Each {@code ```java} block of README.md and docs/*.md becomes one compilation unit:
 * <ul>
 *   <li>a block that declares a type ({@code class}, {@code record}, {@code interface}, {@code enum}) is compiled as
 *       it stands;</li>
 *   <li>any other block is a fragment of code: it is compiled as the body of a method that may throw;</li>
 *   <li>either way its own {@code import} lines are kept, and the project's main packages are imported, so that a
 *       block reads as it would in a file of the project.</li>
 * </ul>
 */
class DocExamplesTest {
    private static final Pattern JAVA_BLOCK = Pattern.compile("(?m)^( *)```java\\s*\\n(.*?)^\\1```", Pattern.DOTALL);
    private static final Pattern DECLARES_TYPE = Pattern.compile(
            "(?m)^\\s*(?:/\\*\\*.*?\\*/\\s*)?(?:public\\s+|final\\s+|abstract\\s+|sealed\\s+)*(?:class|record|interface|enum)\\s+\\w+");
    private static final List<String> PACKAGES = List.of("dev.ranker4j.kernels", "dev.ranker4j.tensor",
            "dev.ranker4j.autograd", "dev.ranker4j.autograd.ops", "dev.ranker4j.autograd.nn", "dev.ranker4j.autograd.check",
            "dev.ranker4j.tokenizer", "dev.ranker4j.hfio.safetensors", "dev.ranker4j.hfio.config",
            "dev.ranker4j.transformer.bert", "dev.ranker4j.transformer.ranking", "dev.ranker4j.ir.data",
            "dev.ranker4j.ir.metrics", "dev.ranker4j.ir.retrieval", "java.util", "java.nio.file");

    record Block(String doc, int line, String code) {}

    static List<Block> blocks() throws IOException {
        List<Path> docs = new ArrayList<>(List.of(SourceTree.root().resolve("README.md")));
        try (Stream<Path> files = Files.list(SourceTree.root().resolve("docs"))) {
            files.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
        }
        List<Block> blocks = new ArrayList<>();
        for (Path doc : docs) {
            String text = Files.readString(doc);
            Matcher m = JAVA_BLOCK.matcher(text);
            while (m.find()) {
                String indent = m.group(1);
                StringBuilder code = new StringBuilder();
                for (String line : m.group(2).split("\n", -1)) {
                    code.append(line.startsWith(indent) ? line.substring(indent.length()) : line.strip()).append('\n');
                }
                int line = 1 + (int) text.substring(0, m.start()).chars().filter(c -> c == '\n').count();
                blocks.add(new Block(SourceTree.root().relativize(doc).toString(), line, code.toString()));
            }
        }
        return blocks;
    }

    /** The block as a Java source file of a class named {@code name}. */
    static String unit(String name, String code) {
        StringBuilder imports = new StringBuilder(), body = new StringBuilder();
        for (String line : code.split("\n")) {
            if (line.startsWith("import ")) imports.append(line).append('\n');
            else body.append(line).append('\n');
        }
        StringBuilder source = new StringBuilder("package docexamples;\n\n");
        for (String pkg : PACKAGES) source.append("import ").append(pkg).append(".*;\n");
        source.append(imports).append('\n');
        if (DECLARES_TYPE.matcher(body).find()) {
            source.append("final class ").append(name).append(" {}\n\n").append(body);
        } else {
            source.append("final class ").append(name).append(" {\n    @SuppressWarnings(\"unused\")\n")
                    .append("    static void example() throws Exception {\n").append(body).append("    }\n}\n");
        }
        return source.toString();
    }

    @Test
    void everyJavaBlockInTheDocsCompiles() throws Exception {
        List<Block> blocks = blocks();
        assertTrue(blocks.size() >= 3, "expected the Java blocks of docs/AUTOGRAD.md at least, found " + blocks.size());
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        List<String> failures = new ArrayList<>();
        Path output = Files.createTempDirectory("doc-examples");
        for (int i = 0; i < blocks.size(); i++) {
            Block block = blocks.get(i);
            String name = "Example" + i;
            String source = unit(name, block.code());
            DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
            try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, null, null)) {
                files.setLocation(StandardLocation.CLASS_OUTPUT, List.of(output.toFile()));
                files.setLocation(StandardLocation.CLASS_PATH, classPath());
                JavaFileObject unit = new SimpleJavaFileObject(URI.create("string:///docexamples/" + name + ".java"),
                        JavaFileObject.Kind.SOURCE) {
                    @Override
                    public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                        return source;
                    }
                };
                boolean ok = compiler.getTask(null, files, diagnostics,
                        List.of("-proc:none", "-Xlint:none", "--add-modules", "jdk.incubator.vector"), null, List.of(unit)).call();
                if (!ok) {
                    StringBuilder report = new StringBuilder(block.doc() + ":" + block.line()
                            + ": this Java block does not compile:\n");
                    for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
                        if (d.getKind() == Diagnostic.Kind.ERROR) report.append("  ").append(d.getMessage(null)).append('\n');
                    }
                    failures.add(report.toString());
                }
            }
        }
        if (!failures.isEmpty()) fail(String.join("\n", failures) + "\n(the block as compiled: see DocExamplesTest.unit)");
    }

    /** The test's own class path: what the docs' examples may use (every module, through cli and training). */
    private static List<File> classPath() throws URISyntaxException {
        Set<File> entries = new LinkedHashSet<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.isBlank()) entries.add(new File(entry));
        }
        ClassLoader loader = DocExamplesTest.class.getClassLoader();
        if (loader instanceof URLClassLoader urls) {
            for (URL url : urls.getURLs()) entries.add(new File(url.toURI()));
        }
        return new ArrayList<>(entries);
    }
}
