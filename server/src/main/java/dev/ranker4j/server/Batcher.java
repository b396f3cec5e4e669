package dev.ranker4j.server;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Dynamic batching, as text-embeddings-inference does it: requests wait in a bounded queue; one thread takes the
 * first, gathers whatever else is waiting (up to {@code maxBatch} pairs and texts; when the queue is empty it waits
 * at most {@code maxWait} for company), and hands the round to the model as one call per route, whose pairs or texts
 * the API sorts by length into shared forward passes. A full queue refuses the request (the route answers 429), so
 * memory stays bounded however many clients call.
 *
 * <p>No request can poison a round: inputs are validated before they are queued, and should the model still fail on
 * a round of several requests, each is run again alone, so only the one that fails by itself gets the error.
 */
final class Batcher implements AutoCloseable {
    /** A queued request: its pairs or texts and where its answer goes. */
    sealed interface Job permits RerankJob, EmbedJob {
        int items();

        CompletableFuture<?> result();
    }

    record RerankJob(String query, List<String> passages, CompletableFuture<float[]> result) implements Job {
        RerankJob(String query, List<String> passages) {
            this(query, passages, new CompletableFuture<>());
        }

        @Override
        public int items() {
            return passages.size();
        }
    }

    record EmbedJob(List<String> texts, CompletableFuture<float[][]> result) implements Job {
        EmbedJob(List<String> texts) {
            this(texts, new CompletableFuture<>());
        }

        @Override
        public int items() {
            return texts.size();
        }
    }

    private static final long WAIT_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final ServedModel model;
    private final int maxBatch;
    private final long maxWaitNanos;
    private final BlockingQueue<Job> queue;
    private final Metrics metrics;
    private final Thread thread;
    /** A job taken from the queue that did not fit into the last round: it opens the next. */
    private Job carried;
    private volatile boolean closing;

    Batcher(ServedModel model, int maxBatch, Duration maxWait, int capacity, Metrics metrics) {
        this.model = model;
        this.maxBatch = maxBatch;
        this.maxWaitNanos = maxWait.toNanos();
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.metrics = metrics;
        this.thread = Thread.ofPlatform().name("ranker4j-batcher").daemon(true).start(this::run);
    }

    /** Queues a job; false when the queue is full or the batcher is closing. */
    boolean offer(Job job) {
        return !closing && queue.offer(job);
    }

    /** Requests waiting for the model. */
    int depth() {
        return queue.size();
    }

    /** From now on a round starts as soon as its first job is there (no waiting for company); nothing new is queued. */
    void finishQueued() {
        closing = true;
    }

    /**
     * Runs what is queued, then stops; jobs still waiting after {@code timeout} fail with a 503 error.
     */
    void close(Duration timeout) {
        closing = true;
        try {
            thread.join(Math.max(1, timeout.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) thread.interrupt();
        HttpError stopped = new HttpError(503, "Unhealthy", "the server stopped before this request was run");
        for (Job job; (job = queue.poll()) != null; ) job.result().completeExceptionally(stopped);
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }

    private void run() {
        try {
            for (List<Job> round; (round = nextRound()) != null; ) execute(round);
        } catch (InterruptedException e) {
            // close() gave up waiting; the jobs left are failed there
        }
        if (carried != null) carried.result().completeExceptionally(new HttpError(503, "Unhealthy", "the server stopped"));
    }

    /** The next round, or null once closing and nothing is left. */
    private List<Job> nextRound() throws InterruptedException {
        Job first = carried;
        carried = null;
        while (first == null) {
            if (closing && queue.isEmpty()) return null;
            first = queue.poll(50, TimeUnit.MILLISECONDS);
        }
        List<Job> round = new ArrayList<>();
        round.add(first);
        int items = first.items();
        long deadline = System.nanoTime() + maxWaitNanos;
        while (items < maxBatch) {
            Job next = queue.poll();
            // Waiting for company happens in short slices, so that a shutdown ends the wait at once.
            for (long left; next == null && !closing && (left = deadline - System.nanoTime()) > 0; ) {
                next = queue.poll(Math.min(left, WAIT_SLICE_NANOS), TimeUnit.NANOSECONDS);
            }
            if (next == null) break;
            if (items + next.items() > maxBatch) {
                carried = next;
                break;
            }
            round.add(next);
            items += next.items();
        }
        return round;
    }

    private void execute(List<Job> round) {
        long start = System.nanoTime();
        List<RerankJob> reranks = new ArrayList<>();
        List<EmbedJob> embeds = new ArrayList<>();
        int items = 0;
        for (Job job : round) {
            items += job.items();
            switch (job) {
                case RerankJob r -> reranks.add(r);
                case EmbedJob e -> embeds.add(e);
            }
        }
        if (!reranks.isEmpty()) rerank(reranks);
        if (!embeds.isEmpty()) embed(embeds);
        metrics.batch(items, round.size(), (System.nanoTime() - start) / 1e9);
    }

    private void rerank(List<RerankJob> jobs) {
        try {
            List<String> queries = new ArrayList<>(jobs.size());
            List<List<String>> passages = new ArrayList<>(jobs.size());
            for (RerankJob job : jobs) {
                queries.add(job.query());
                passages.add(job.passages());
            }
            float[][] scores = model.rerank(queries, passages);
            for (int i = 0; i < jobs.size(); i++) jobs.get(i).result().complete(scores[i]);
        } catch (Throwable together) {
            if (jobs.size() == 1) {
                jobs.getFirst().result().completeExceptionally(together);
                return;
            }
            for (RerankJob job : jobs) {
                try {
                    job.result().complete(model.rerank(List.of(job.query()), List.of(job.passages()))[0]);
                } catch (Throwable alone) {
                    job.result().completeExceptionally(alone);
                }
            }
        }
    }

    private void embed(List<EmbedJob> jobs) {
        try {
            List<String> texts = new ArrayList<>();
            for (EmbedJob job : jobs) texts.addAll(job.texts());
            float[][] vectors = model.embed(texts);
            int from = 0;
            for (EmbedJob job : jobs) {
                job.result().complete(java.util.Arrays.copyOfRange(vectors, from, from + job.texts().size()));
                from += job.texts().size();
            }
        } catch (Throwable together) {
            if (jobs.size() == 1) {
                jobs.getFirst().result().completeExceptionally(together);
                return;
            }
            for (EmbedJob job : jobs) {
                try {
                    job.result().complete(model.embed(job.texts()));
                } catch (Throwable alone) {
                    job.result().completeExceptionally(alone);
                }
            }
        }
    }
}
