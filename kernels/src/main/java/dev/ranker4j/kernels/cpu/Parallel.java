package dev.ranker4j.kernels.cpu;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A fixed pool of worker threads that splits a range of independent tasks across cores.
 *
 * <p>One pool per backend, created once: kernels never create threads per call. The calling thread does a share of
 * the work itself, so {@code threads = 1} runs everything inline with no hand-off at all.
 */
public final class Parallel implements AutoCloseable {

    /** The body of a parallel loop: handles tasks {@code [from, to)}. */
    @FunctionalInterface
    public interface RangeTask {
        void run(int from, int to);
    }

    private final int threads;
    private final ExecutorService workers;
    /** True on this pool's worker threads, false on every other thread. */
    private final ThreadLocal<Boolean> onWorker = ThreadLocal.withInitial(() -> false);

    public Parallel(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        this.threads = threads;
        this.workers = threads == 1 ? null : Executors.newFixedThreadPool(threads - 1, runnable -> {
            Thread thread = new Thread(() -> {
                onWorker.set(true);
                runnable.run();
            }, "ranker4j-kernel-worker");
            thread.setDaemon(true); // never keeps the JVM alive
            return thread;
        });
    }

    public int threads() {
        return threads;
    }

    /**
     * Runs {@code body} over {@code [0, tasks)} split into at most {@link #threads()} contiguous chunks of at least
     * {@code minTasksPerChunk} tasks each (small loops stay on the calling thread: a hand-off costs microseconds).
     */
    public void forRange(int tasks, int minTasksPerChunk, RangeTask body) {
        if (tasks <= 0) return;
        int chunks = Math.min(threads, Math.max(1, tasks / Math.max(1, minTasksPerChunk)));
        if (chunks == 1 || onWorker.get()) {
            body.run(0, tasks);
            return;
        }
        List<Future<?>> pending = new ArrayList<>(chunks - 1);
        for (int chunk = 1; chunk < chunks; chunk++) {
            int from = chunkStart(tasks, chunks, chunk);
            int to = chunkStart(tasks, chunks, chunk + 1);
            pending.add(workers.submit(() -> body.run(from, to)));
        }
        body.run(0, chunkStart(tasks, chunks, 1));
        for (Future<?> future : pending) {
            try {
                future.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for kernel workers", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException runtime) throw runtime;
                if (e.getCause() instanceof Error error) throw error;
                throw new IllegalStateException(e.getCause());
            }
        }
    }

    private static int chunkStart(int tasks, int chunks, int chunk) {
        return (int) ((long) tasks * chunk / chunks);
    }

    @Override
    public void close() {
        if (workers != null) workers.shutdownNow();
    }
}
