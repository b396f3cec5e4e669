package dev.ranker4j.bench;

import dev.ranker4j.kernels.Backend;
import dev.ranker4j.kernels.ReferenceBackend;
import dev.ranker4j.kernels.UnaryOp;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KernelProfileTest {

    @Test
    void forwardsEveryCallUnchangedAndNamesRowsBySizesOnly() {
        KernelProfile profile = new KernelProfile();
        Backend plain = new ReferenceBackend(), timed = profile.wrap(plain);
        float[] a = {1, 2, 3, 4, 5, 6}, b = {1, 0, 2, 1, 0, 3}, expected = new float[4], actual = new float[4];
        plain.gemm(false, false, 2, 2, 3, 1f, a, 0, 3, b, 0, 2, 0f, expected, 0, 2);
        profile.record(true);
        timed.gemm(false, false, 2, 2, 3, 1f, a, 0, 3, b, 0, 2, 0f, actual, 0, 2);
        // Different offsets, same sizes: the same row.
        float[] shifted = new float[5];
        timed.gemm(false, false, 2, 2, 3, 1f, a, 0, 3, b, 0, 2, 0f, shifted, 1, 2);
        timed.unary(UnaryOp.EXP, 0, a, 0, new float[6], 0, 6);
        profile.record(false);
        timed.unary(UnaryOp.EXP, 0, a, 0, new float[6], 0, 6); // not recorded
        assertArrayEquals(expected, actual);

        List<String> lines = profile.report(1, 0);
        assertEquals(3, lines.size(), String.join("\n", lines));
        assertTrue(lines.stream().anyMatch(l -> l.contains("\"profile\":\"gemm F F m=2 n=2 k=3\"") && l.contains("\"calls_per_step\":2")), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.contains("\"profile\":\"unary EXP n=6\"") && l.contains("\"calls_per_step\":1")), lines.toString());
        assertTrue(lines.getLast().startsWith("{\"profile\":\"total in kernels\""));
    }

    @Test
    void aKernelsExceptionReachesTheCallerItself() {
        Backend timed = new KernelProfile().wrap(new ReferenceBackend());
        // A too-short A: the reference loops' own exception, not the proxy's InvocationTargetException wrapper.
        assertThrows(ArrayIndexOutOfBoundsException.class, () -> timed.gemm(false, false, 2, 2, 3, 1f, new float[1], 0, 3,
                new float[6], 0, 2, 0f, new float[4], 0, 2));
    }
}
