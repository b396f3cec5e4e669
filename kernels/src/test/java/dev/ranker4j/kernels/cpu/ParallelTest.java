package dev.ranker4j.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicIntegerArray;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** {@link Parallel}: every task runs exactly once, nested loops finish, and failures reach the caller. */
class ParallelTest {

    @Property(tries = 60)
    void everyTaskRunsExactlyOnce(@ForAll @IntRange(min = 1, max = 4) int threads,
                                  @ForAll @IntRange(min = 0, max = 300) int tasks,
                                  @ForAll @IntRange(min = 1, max = 50) int minTasksPerChunk) {
        try (Parallel parallel = new Parallel(threads)) {
            AtomicIntegerArray runs = new AtomicIntegerArray(tasks);
            parallel.forRange(tasks, minTasksPerChunk, (from, to) -> {
                for (int i = from; i < to; i++) runs.incrementAndGet(i);
            });
            int[] expected = new int[tasks];
            Arrays.fill(expected, 1);
            int[] actual = new int[tasks];
            for (int i = 0; i < tasks; i++) actual[i] = runs.get(i);
            assertArrayEquals(expected, actual);
        }
    }

    /** A kernel calling a kernel from inside a worker must not wait on its own pool (that could deadlock). */
    @Example
    void nestedLoopsComplete() {
        try (Parallel parallel = new Parallel(2)) {
            AtomicIntegerArray runs = new AtomicIntegerArray(8 * 8);
            parallel.forRange(8, 1, (from, to) -> {
                for (int outer = from; outer < to; outer++) {
                    int row = outer;
                    parallel.forRange(8, 1, (innerFrom, innerTo) -> {
                        for (int inner = innerFrom; inner < innerTo; inner++) runs.incrementAndGet(row * 8 + inner);
                    });
                }
            });
            for (int i = 0; i < 64; i++) assertEquals(1, runs.get(i), "task " + i);
        }
    }

    @Example
    void aFailingChunkFailsTheLoop() {
        try (Parallel parallel = new Parallel(3)) {
            IllegalStateException failure = assertThrows(IllegalStateException.class,
                    () -> parallel.forRange(30, 1, (from, to) -> {
                        if (from > 0) throw new IllegalStateException("chunk starting at " + from);
                    }));
            assertEquals(true, failure.getMessage().startsWith("chunk starting at "));
        }
    }
}
