package dev.ranker4j.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
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
 * Which results depend on the machine's vector shape. {@link DeterminismWorkload} runs in fresh JVMs that emulate
 * narrower machines on this one ({@code -XX:UseAVX=2}: 256-bit vectors and 16 registers, so the 6 × 2 tile;
 * {@code -XX:MaxVectorSize=16}: 128-bit vectors, the 8 × 3 tile when AVX-512 gives 32 registers;
 * both: 128-bit with 16 registers), and its fingerprints are compared with this JVM's.
 *
 * <p>Asserted: every float GEMM (single, deep with several depth panels and a transposed A, with the bias
 * epilogue, a shallow batch on the unpacked tiles) gives the same bits on every shape, because each element is one
 * FMA chain over depth panels cut by k alone, whatever the tile or the lane count (see {@link MicroTile}). Reported,
 * not asserted: the kernels whose lane sums regroup with the lane count ({@link LaneSums}: row reductions, softmax,
 * layer norm, and so attention), which docs/KERNELS.md lists as the places results may differ across ISAs.
 *
 * <p>When this JVM cannot run a flag set (a machine without AVX2 or AVX-512), that comparison is skipped with a line.
 */
class IsaIndependenceTest {
    private static final List<List<String>> SHAPES = List.of(
            List.of("-XX:UseAVX=2"), List.of("-XX:MaxVectorSize=16"), List.of("-XX:UseAVX=2", "-XX:MaxVectorSize=16"));

    @Test
    void gemmBitsDoNotDependOnTheVectorShape() throws Exception {
        Map<String, Long> here = DeterminismWorkload.run();
        for (List<String> flags : SHAPES) {
            Map<String, Long> there = runInFreshJvm(flags);
            if (there == null) continue;
            assertEquals(here.keySet(), there.keySet(), flags + ": the same outputs");
            List<String> gemmDiffers = new ArrayList<>(), others = new ArrayList<>();
            for (String name : here.keySet()) {
                if (name.startsWith(DeterminismWorkload.CANARY) || here.get(name).equals(there.get(name))) continue;
                (name.startsWith("f32 gemm") ? gemmDiffers : others).add(name);
            }
            assertTrue(gemmDiffers.isEmpty(), flags + ": GEMM bits differ from this JVM's in " + gemmDiffers);
            System.out.println("IsaIndependenceTest " + flags + ": GEMMs identical; lane-sum kernels that differ: " + others);
        }
    }

    /** The workload's fingerprints in a new JVM with {@code flags}, or null when such a JVM cannot start here. */
    private static Map<String, Long> runInFreshJvm(List<String> flags) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = Stream.of(Stream.of(java.toString()), flags.stream(),
                Stream.of("--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
                        DeterminismWorkload.class.getName(), "1")).flatMap(s -> s).toList();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), flags + " run did not finish");
        if (process.exitValue() != 0 && output.contains("UseAVX")) {
            System.out.println("IsaIndependenceTest: skipped " + flags + " (this CPU cannot run it): " + output.strip());
            return null;
        }
        assertEquals(0, process.exitValue(), flags + " run failed:\n" + output);
        Map<String, Long> prints = new LinkedHashMap<>();
        for (String line : output.split("\n")) {
            if (line.startsWith("WARNING") || line.isBlank()) continue;
            String[] parts = line.strip().split("\t");
            assertEquals(2, parts.length, flags + " run printed an unexpected line: " + line);
            prints.put(parts[0], Long.parseUnsignedLong(parts[1], 16));
        }
        return prints;
    }
}
