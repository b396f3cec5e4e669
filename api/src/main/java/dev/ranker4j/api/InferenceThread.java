package dev.ranker4j.api;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The one thread that runs a model's forward passes. Callers from any number of threads hand it their work and wait:
 * forward passes never overlap (each already spreads over all the kernels' threads, so overlapping them would only
 * make each slower), the no-grad scope and the GEMM's per-thread packing buffers live on one long-lived platform
 * thread (a virtual thread per request would allocate fresh buffers every time), and a failing call leaves the
 * thread ready for the next.
 */
final class InferenceThread implements AutoCloseable {
    private final String name;
    private final ExecutorService executor;

    InferenceThread(String name) {
        this.name = name;
        this.executor = Executors.newSingleThreadExecutor(work -> {
            Thread thread = new Thread(work, name);
            thread.setDaemon(true); // never keeps the JVM alive
            return thread;
        });
    }

    /** Runs {@code work} on the inference thread and returns its result; its exception is rethrown here. */
    <T> T call(Callable<T> work) {
        Future<T> future;
        try {
            future = executor.submit(work);
        } catch (RejectedExecutionException closed) {
            throw new IllegalStateException(name + " is closed");
        }
        try {
            return future.get();
        } catch (InterruptedException e) {
            future.cancel(false); // not started yet: never starts; running: finishes, its result is dropped
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + name, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) throw runtime;
            if (cause instanceof Error error) throw error;
            throw new IllegalStateException(name + ": " + cause.getMessage(), cause);
        }
    }

    /** Lets queued work finish, then stops the thread. */
    @Override
    public void close() {
        executor.shutdown();
        try {
            executor.awaitTermination(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
