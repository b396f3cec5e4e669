package dev.ranker4j.index;

import dev.ranker4j.ir.retrieval.Progress;

/**
 * How a batch of queries is searched.
 *
 * @param k           hits per query asked of the index
 * @param threads     queries searched at once
 * @param removeQuery drop a hit whose document id equals the query id (Anserini's {@code -removeQuery}); applied
 *                    after the top k are taken, as Anserini does, so such a query keeps k - 1 hits
 * @param progress    advanced once per query
 */
public record SearchSettings(int k, int threads, boolean removeQuery, Progress progress) {
    public SearchSettings {
        if (k < 1) throw new IllegalArgumentException("k must be at least 1, got " + k);
        if (threads < 1) throw new IllegalArgumentException("threads must be at least 1, got " + threads);
    }

    /** k hits, all processors, the query's own id removed, no progress display. */
    public static SearchSettings of(int k) {
        return new SearchSettings(k, Runtime.getRuntime().availableProcessors(), true, Progress.NONE);
    }

    public SearchSettings withThreads(int threads) {
        return new SearchSettings(k, threads, removeQuery, progress);
    }

    public SearchSettings withRemoveQuery(boolean removeQuery) {
        return new SearchSettings(k, threads, removeQuery, progress);
    }

    public SearchSettings withProgress(Progress progress) {
        return new SearchSettings(k, threads, removeQuery, progress);
    }
}
