package dev.ranker4j.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The CPU kernels give the same bits whichever JIT tier runs them. {@link DeterminismWorkload} runs in three fresh
 * JVMs — interpreter only ({@code -Xint}), C1 only ({@code -XX:TieredStopAtLevel=1}) and C2 only
 * ({@code -XX:-TieredCompilation} with a compile threshold of 100 and {@code -Xbatch}, so that the kernels are
 * C2-compiled after the first few of its repeated runs) — and in this JVM; all four must agree bit for bit, and in
 * the repeating JVMs every run must agree with their first.
 *
 * <p>The workload's canaries (raw {@code reduceLanes(ADD)} and {@code lanewise(EXP)}) are reported, not asserted:
 * when they differ between the interpreter and C2 (they do on x86-64 with AVX-512), that shows the C2 run really
 * compiled the code and that the Vector API's own operations would have rounded differently.
 */
class JitDeterminismTest {

    @Test
    void kernelsGiveTheSameBitsInterpretedAndCompiled() throws Exception {
        Map<String, Long> interpreted = runInFreshJvm(1, "-Xint");
        Map<String, Long> c1 = runInFreshJvm(20, "-XX:TieredStopAtLevel=1");
        Map<String, Long> c2 = runInFreshJvm(20, "-XX:-TieredCompilation", "-XX:CompileThreshold=100", "-Xbatch");
        assertKernelsEqual(interpreted, c1, "-Xint vs C1");
        assertKernelsEqual(interpreted, c2, "-Xint vs C2");
        assertKernelsEqual(interpreted, DeterminismWorkload.run(), "-Xint vs this JVM");
        for (String name : c2.keySet()) {
            if (name.startsWith(DeterminismWorkload.CANARY)) {
                System.out.println("JitDeterminismTest: " + name + (interpreted.get(name).equals(c2.get(name))
                        ? " gives the same bits interpreted and C2-compiled"
                        : " DIFFERS between interpreted and C2-compiled (which the kernels avoid)"));
            }
        }
    }

    private static void assertKernelsEqual(Map<String, Long> expected, Map<String, Long> actual, String what) {
        assertEquals(expected.keySet(), actual.keySet(), what + ": the same outputs");
        List<String> different = new ArrayList<>();
        for (String name : expected.keySet()) {
            if (!name.startsWith(DeterminismWorkload.CANARY) && !expected.get(name).equals(actual.get(name))) {
                different.add(name);
            }
        }
        assertTrue(different.isEmpty(), what + ": different bits in " + different);
    }

    /** Runs {@link DeterminismWorkload#main} {@code runs} times in a new JVM with {@code flags}; parses its lines. */
    private static Map<String, Long> runInFreshJvm(int runs, String... flags) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        // The vector shape of this JVM (an emulated one in the ISA test executions) is the fresh JVMs' too.
        Stream<String> shape = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("-XX:UseAVX") || a.startsWith("-XX:MaxVectorSize")
                        || a.equals("-XX:+IgnoreUnrecognizedVMOptions"));
        List<String> command = Stream.of(Stream.of(java.toString()), shape, Stream.of(flags),
                Stream.of("--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
                        DeterminismWorkload.class.getName(), Integer.toString(runs))).flatMap(s -> s).toList();
        String what = String.join(" ", flags);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), what + " run did not finish");
        assertEquals(0, process.exitValue(), what + " run failed:\n" + output);
        Map<String, Long> prints = new LinkedHashMap<>();
        List<String> changed = new ArrayList<>();
        for (String line : output.split("\n")) {
            if (line.startsWith("WARNING")) continue; // the incubator module's notice
            String[] parts = line.strip().split("\t");
            assertEquals(2, parts.length, what + " run printed an unexpected line: " + line);
            if (parts[0].equals(DeterminismWorkload.CHANGED)) changed.add(parts[1]);
            else prints.put(parts[0], Long.parseUnsignedLong(parts[1], 16));
        }
        assertTrue(changed.isEmpty(), what + ": results changed between runs in one JVM: " + changed);
        return prints;
    }
}
