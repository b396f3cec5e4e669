package dev.ranker4j.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The activation arena's contract: a step's tensors come from it and are reused by the next step (zeroed), a tensor
 * or any view of it cannot be used once its step ended (it throws, naming the step), what is made
 * {@link ActivationArena#outside} or copied out with toFloatArray survives, and poisoning makes a raw array kept past
 * the step read NaN.
 */
class ActivationArenaTest {
    private static final int N = 4096;

    @Test
    void theNextStepReusesTheArraysZeroed() {
        ActivationArena arena = new ActivationArena(false);
        Object first;
        try (ActivationArena.Step ignored = arena.begin()) {
            Tensor t = Tensor.zeros(DType.F32, 64, 64).fill(3);
            assertTrue(t.storage().pooled());
            first = t.storage().floats();
        }
        assertEquals(1, arena.lastStep().made());
        try (ActivationArena.Step ignored = arena.begin()) {
            Tensor t = Tensor.zeros(DType.F32, 64, 64);
            assertSame(first, t.storage().floats(), "the same array again");
            assertEquals(0.0, t.sum().item(), "zeroed when handed out again");
        }
        assertEquals(1, arena.lastStep().reused());
        assertEquals(0, arena.lastStep().made());
    }

    @Test
    void aTensorOrViewUsedAfterItsStepThrows() {
        ActivationArena arena = new ActivationArena(false);
        Tensor kept, view;
        try (ActivationArena.Step ignored = arena.begin()) {
            kept = Tensor.ones(DType.F32, N);
            view = kept.reshape(64, 64).transpose(0, 1);
            assertEquals(N, kept.sum().item());
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, kept::sum);
        assertTrue(e.getMessage().contains("after the step ended"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> view.get(0, 1));
        assertThrows(IllegalStateException.class, () -> kept.storage().floats());
        assertThrows(IllegalStateException.class, () -> kept.add(kept));
    }

    @Test
    void whatIsMadeOutsideOrCopiedOutSurvives() {
        ActivationArena arena = new ActivationArena(true);
        Tensor persistent;
        float[] copied;
        try (ActivationArena.Step ignored = arena.begin()) {
            persistent = ActivationArena.outside(() -> Tensor.full(2, DType.F32, N));
            assertFalse(persistent.storage().pooled());
            Tensor activation = Tensor.full(5, DType.F32, N);
            copied = activation.toFloatArray();
            assertEquals(N, copied.length);
        }
        assertEquals(2.0 * N, persistent.sum().item());
        for (float v : copied) assertEquals(5f, v);
    }

    @Test
    void poisoningShowsARawArrayKeptPastItsStep() {
        ActivationArena arena = new ActivationArena(true);
        float[] raw;
        try (ActivationArena.Step ignored = arena.begin()) {
            raw = Tensor.full(1, DType.F32, N).storage().floats();
        }
        assertTrue(Float.isNaN(raw[0]) && Float.isNaN(raw[N - 1]), "released arrays are filled with NaN");
    }

    @Test
    void sizesShareCapacityClassesAndKeepTheirLength() {
        assertEquals(4096, ActivationArena.capacity(4096));
        assertEquals(4608, ActivationArena.capacity(4097));
        for (int n = 1024; n < 5_000_000; n = n * 5 / 4 + 7) {
            int c = ActivationArena.capacity(n);
            assertTrue(c >= n && c <= n * 1.125 + 1, n + " -> " + c);
        }
        ActivationArena arena = new ActivationArena(false);
        try (ActivationArena.Step ignored = arena.begin()) {
            Tensor t = Tensor.ones(DType.F64, 4097);
            assertEquals(4097, t.storage().length());
            assertEquals(4097, t.toDoubleArray().length);
        }
        try (ActivationArena.Step ignored = arena.begin()) {
            Tensor t = Tensor.zeros(DType.F64, 4500); // the same class: the same array, zeroed up to 4500
            assertEquals(0.0, t.sum().item());
        }
        assertEquals(1, arena.lastStep().reused());
    }

    @Test
    void stepsAreOnePerThreadAndSmallOrIntegerTensorsAreNotPooled() throws Exception {
        ActivationArena arena = new ActivationArena(false);
        try (ActivationArena.Step ignored = arena.begin()) {
            assertThrows(IllegalStateException.class, arena::begin);
            assertFalse(Tensor.zeros(DType.F32, 10).storage().pooled());
            assertFalse(Tensor.zeros(DType.I64, N).storage().pooled());
            AtomicReference<Boolean> otherThread = new AtomicReference<>();
            Thread thread = new Thread(() -> otherThread.set(Tensor.zeros(DType.F32, N).storage().pooled()));
            thread.start();
            thread.join();
            assertFalse(otherThread.get(), "another thread allocates as usual");
        }
        assertFalse(ActivationArena.inStep());
        assertFalse(Tensor.zeros(DType.F32, N).storage().pooled(), "no step, no pooling");
    }

    @Test
    void arraysUnusedForTwoStepsAreDropped() {
        ActivationArena arena = new ActivationArena(false);
        try (ActivationArena.Step ignored = arena.begin()) {
            Tensor.zeros(DType.F32, 100_000);
        }
        long held = arena.lastStep().pooledBytes();
        assertTrue(held >= 400_000);
        try (ActivationArena.Step ignored = arena.begin()) {
            Tensor.zeros(DType.F32, 2000);
        }
        try (ActivationArena.Step ignored = arena.begin()) {
            Tensor.zeros(DType.F32, 2000);
        }
        assertTrue(arena.lastStep().pooledBytes() < 100_000, "the 100 000-float array was dropped: " + arena.lastStep());
    }
}
