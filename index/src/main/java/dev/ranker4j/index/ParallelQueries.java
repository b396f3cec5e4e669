package dev.ranker4j.index;

import dev.ranker4j.ir.retrieval.Progress;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs one search per query on a pool of threads (a Lucene {@code IndexSearcher} serves many threads at once) and
 * returns the results in query order.
 */
final class ParallelQueries {
    private ParallelQueries() {}

    /** A search of query {@code i}. */
    @FunctionalInterface
    interface Search<R> {
        R run(int i) throws IOException;
    }

    static <R> List<R> map(int count, int threads, Progress progress, Search<R> search) {
        if (threads < 1) throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        Object[] results = new Object[count];
        if (threads == 1 || count < 2) {
            for (int i = 0; i < count; i++) {
                results[i] = runOne(search, i);
                progress.advance(1);
            }
        } else {
            ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, count), runnable -> {
                Thread thread = new Thread(runnable, "search");
                thread.setDaemon(true);
                return thread;
            });
            try {
                List<Future<?>> futures = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    int query = i;
                    futures.add(pool.submit(() -> {
                        results[query] = runOne(search, query);
                        synchronized (progress) {
                            progress.advance(1);
                        }
                    }));
                }
                for (Future<?> future : futures) future.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while searching", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException runtime) throw runtime;
                if (e.getCause() instanceof Error error) throw error;
                throw new IllegalStateException(e.getCause());
            } finally {
                pool.shutdownNow();
            }
        }
        @SuppressWarnings("unchecked")
        List<R> list = (List<R>) Arrays.asList(results);
        return list;
    }

    private static <R> R runOne(Search<R> search, int i) {
        try {
            return search.run(i);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
