package dev.ranker4j.tests.architecture;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The project's source trees as text, for the architecture tests: the reactor root (this module's parent
 * directory), its modules as the parent pom lists them (the TornadoVM profile's too, built or not), and each module's
 * Java files.
 */
final class SourceTree {
    private SourceTree() {}

    private static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");

    /** The directory of the parent pom: the build runs each module's tests in the module's own directory. */
    static Path root() {
        Path here = Path.of("").toAbsolutePath();
        for (Path dir = here; dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve("pom.xml")) && read(dir.resolve("pom.xml")).contains("<module>tests</module>")) {
                return dir;
            }
        }
        throw new IllegalStateException("no reactor pom listing the tests module above " + here);
    }

    /** Every module the parent pom names, in the order it names them (profile modules included). */
    static List<String> modules() {
        List<String> modules = new ArrayList<>();
        Matcher m = MODULE.matcher(read(root().resolve("pom.xml")));
        while (m.find()) modules.add(m.group(1).trim());
        return modules;
    }

    /** The Java files below {@code module/src/<set>/java} ({@code set} = main or test), sorted; none when absent. */
    static List<Path> javaFiles(String module, String set) {
        Path dir = root().resolve(module).resolve("src").resolve(set).resolve("java");
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Java source with comments, string and character literals and text blocks blanked out (newlines kept, so line
     * numbers still hold): what remains is code, whose {@code dev.ranker4j...} names are real compile-time references.
     */
    static String codeOnly(String source) {
        StringBuilder out = new StringBuilder(source.length());
        int i = 0, n = source.length();
        while (i < n) {
            char c = source.charAt(i);
            if (c == '/' && i + 1 < n && source.charAt(i + 1) == '/') {
                while (i < n && source.charAt(i) != '\n') i++;
            } else if (c == '/' && i + 1 < n && source.charAt(i + 1) == '*') {
                int end = source.indexOf("*/", i + 2);
                end = end < 0 ? n : end + 2;
                for (; i < end; i++) if (source.charAt(i) == '\n') out.append('\n');
            } else if (source.startsWith("\"\"\"", i)) {
                int end = source.indexOf("\"\"\"", i + 3);
                end = end < 0 ? n : end + 3;
                for (; i < end; i++) if (source.charAt(i) == '\n') out.append('\n');
                out.append("\"\"");
            } else if (c == '"' || c == '\'') {
                i++;
                while (i < n && source.charAt(i) != c) i += source.charAt(i) == '\\' ? 2 : 1;
                i++;
                out.append(c).append(c);
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }
}
