package dev.ranker4j.ir.retrieval;

import dev.ranker4j.kernels.cpu.LaneSums;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Exact (brute-force) top-k search by inner product or cosine: every query is scored against every document, so the
 * result is the true top k, with ties broken as trec_eval ranks them (docid descending).
 *
 * <p>Work: {@code queries x docs x dim} multiply-adds. Dot products use the Vector API ({@code FloatVector} on the
 * {@code float[]} rows, two accumulators to hide FMA latency). Selection keeps a bounded heap per query
 * ({@link TopK}), O(n log k) instead of a full sort. Threads split the queries when there are at least as many as
 * threads; otherwise (e.g. one query) they split the documents and their per-thread heaps are merged. Documents are
 * visited in blocks that fit in L2, and every query of a thread scans a block before the next one is loaded.
 *
 * <p>{@link ReferenceSearch} is the plain twin; results agree exactly whenever the dot products are exact in float
 * (tested with small-integer vectors), and otherwise up to float rounding of the sums.
 */
public final class ExactSearch {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    /** Documents per block: 256 x 384 floats = 384 KiB, about an L2 cache. */
    private static final int DOC_BLOCK_FLOATS = 256 * 384;

    private final int threads;

    /** A search using {@code threads} threads (at least 1). */
    public ExactSearch(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        this.threads = threads;
    }

    /** A search using every available processor. */
    public static ExactSearch withAllProcessors() {
        return new ExactSearch(Runtime.getRuntime().availableProcessors());
    }

    /** The top {@code k} documents for each query, best first. */
    public List<List<Hit>> search(DenseVectors queries, DenseVectors docs, int k, Similarity similarity) {
        ScoringInputs.checkCompatible(queries, docs, k);
        Scan scan = new Scan(queries, docs, ScoringInputs.inverseNorms(queries, similarity),
                ScoringInputs.inverseNorms(docs, similarity), DocumentOrder.tieRanks(docs.ids()), Math.min(k, docs.size()));
        int nq = queries.size();
        int nd = docs.size();
        List<TopK> results = new ArrayList<>(nq);
        if (threads == 1 || nq >= threads) {
            List<List<TopK>> parts = runParallel(Math.min(threads, Math.max(1, nq)), nq,
                    (from, to) -> scan.run(from, to, 0, nd));
            parts.forEach(results::addAll);
        } else {
            List<List<TopK>> parts = runParallel(Math.min(threads, Math.max(1, nd)), nd,
                    (from, to) -> scan.run(0, nq, from, to));
            for (int q = 0; q < nq; q++) {
                TopK merged = new TopK(scan.k, scan.tieRank);
                for (List<TopK> part : parts) merged.addAll(part.get(q));
                results.add(merged);
            }
        }
        List<List<Hit>> hits = new ArrayList<>(nq);
        for (TopK topK : results) hits.add(topK.sorted());
        return hits;
    }

    @FunctionalInterface
    private interface RangeTask {
        List<TopK> run(int from, int to);
    }

    /** Splits {@code [0, n)} into {@code parts} contiguous ranges and runs them on a fixed pool, in order. */
    private static List<List<TopK>> runParallel(int parts, int n, RangeTask task) {
        if (parts == 1) return List.of(task.run(0, n));
        try (ExecutorService pool = Executors.newFixedThreadPool(parts)) {
            List<Future<List<TopK>>> futures = new ArrayList<>();
            for (int p = 0; p < parts; p++) {
                int from = (int) ((long) n * p / parts);
                int to = (int) ((long) n * (p + 1) / parts);
                futures.add(pool.submit(() -> task.run(from, to)));
            }
            List<List<TopK>> results = new ArrayList<>();
            for (Future<List<TopK>> future : futures) results.add(future.get());
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("search interrupted", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        }
    }

    /** The immutable inputs of one search, shared by its threads. */
    private record Scan(DenseVectors queries, DenseVectors docs, float[] queryNorms, float[] docNorms, int[] tieRank,
                        int k) {
        /** Top-k of queries {@code [q0, q1)} over documents {@code [d0, d1)}. */
        List<TopK> run(int q0, int q1, int d0, int d1) {
            int dimension = docs.dimension();
            float[] queryData = queries.data();
            float[] docData = docs.data();
            List<TopK> heaps = new ArrayList<>(q1 - q0);
            for (int q = q0; q < q1; q++) heaps.add(new TopK(k, tieRank));
            int block = Math.max(1, DOC_BLOCK_FLOATS / dimension);
            for (int blockStart = d0; blockStart < d1; blockStart += block) {
                int blockEnd = Math.min(d1, blockStart + block);
                for (int q = q0; q < q1; q++) {
                    TopK heap = heaps.get(q - q0);
                    int queryOffset = q * dimension;
                    for (int d = blockStart; d < blockEnd; d++) {
                        float dot = dot(queryData, queryOffset, docData, d * dimension, dimension);
                        float score = ScoringInputs.score(dot, queryNorms[q], docNorms[d]);
                        if (heap.mightAccept(score)) heap.offer(d, score);
                    }
                }
            }
            return heaps;
        }
    }

    /** {@code Σ a[i] b[i]} over {@code length} floats, with the Vector API (lanes summed in a fixed order: {@link LaneSums}). */
    static float dot(float[] a, int aOffset, float[] b, int bOffset, int length) {
        int lanes = SPECIES.length();
        FloatVector sum0 = FloatVector.zero(SPECIES);
        FloatVector sum1 = FloatVector.zero(SPECIES);
        int i = 0;
        for (; i + 2 * lanes <= length; i += 2 * lanes) {
            sum0 = FloatVector.fromArray(SPECIES, a, aOffset + i)
                    .fma(FloatVector.fromArray(SPECIES, b, bOffset + i), sum0);
            sum1 = FloatVector.fromArray(SPECIES, a, aOffset + i + lanes)
                    .fma(FloatVector.fromArray(SPECIES, b, bOffset + i + lanes), sum1);
        }
        for (; i + lanes <= length; i += lanes) {
            sum0 = FloatVector.fromArray(SPECIES, a, aOffset + i).fma(FloatVector.fromArray(SPECIES, b, bOffset + i), sum0);
        }
        float dot = LaneSums.sum(sum0.add(sum1));
        for (; i < length; i++) dot += a[aOffset + i] * b[bOffset + i];
        return dot;
    }
}
