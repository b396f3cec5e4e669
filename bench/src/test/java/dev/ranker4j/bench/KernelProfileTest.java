package dev.ranker4j.bench;

import dev.ranker4j.kernels.ArrayRef;
import dev.ranker4j.kernels.Backend;
import dev.ranker4j.kernels.GemmShape;
import dev.ranker4j.kernels.Matrix;
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
        plain.gemm(GemmShape.of(false, false, 2, 2, 3), 1, Matrix.of(a, 0, 3), Matrix.of(b, 0, 2), 0, Matrix.of(expected, 0, 2));
        profile.record(true);
        timed.gemm(GemmShape.of(false, false, 2, 2, 3), 1, Matrix.of(a, 0, 3), Matrix.of(b, 0, 2), 0, Matrix.of(actual, 0, 2));
        // Different offsets, same sizes: the same row.
        float[] shifted = new float[5];
        timed.gemm(GemmShape.of(false, false, 2, 2, 3), 1, Matrix.of(a, 0, 3), Matrix.of(b, 0, 2), 0, Matrix.of(shifted, 1, 2));
        timed.unary(UnaryOp.EXP, 0, ArrayRef.of(a), ArrayRef.of(new float[6]), 6);
        profile.record(false);
        timed.unary(UnaryOp.EXP, 0, ArrayRef.of(a), ArrayRef.of(new float[6]), 6); // not recorded
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
        assertThrows(ArrayIndexOutOfBoundsException.class, () -> timed.gemm(GemmShape.of(false, false, 2, 2, 3), 1,
                Matrix.of(new float[1], 0, 3), Matrix.of(new float[6], 0, 2), 0, Matrix.of(new float[4], 0, 2)));
    }
}
