package dev.ranker4j.cli;

import dev.ranker4j.index.Bm25Searcher;
import dev.ranker4j.index.IndexDirectories;
import dev.ranker4j.index.IndexException;
import dev.ranker4j.index.IndexKind;
import dev.ranker4j.index.IndexMetadata;
import dev.ranker4j.index.SearchSettings;
import dev.ranker4j.index.VectorSearcher;
import dev.ranker4j.kernels.Backend;
import dev.ranker4j.kernels.Backends;
import dev.ranker4j.ir.data.Qrels;
import dev.ranker4j.ir.data.Run;
import dev.ranker4j.ir.retrieval.DenseVectors;
import dev.ranker4j.ir.retrieval.Progress;
import dev.ranker4j.ir.retrieval.Similarity;
import dev.ranker4j.ir.retrieval.TextFiles;
import dev.ranker4j.ir.retrieval.VectorFiles;
import dev.ranker4j.transformer.bert.SentenceEncoder;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Searches a Lucene index (from {@code ranker4j index}) with a queries file: what {@code search --index},
 * {@code rerank --index}, {@code mine-negatives --index} and {@code quickstart} share. The queries are texts
 * (queries.jsonl or id TAB text) for a BM25 index, and a vector file or texts plus an encoder model for a vector index.
 */
final class IndexSearch {
    /**
     * What to search.
     *
     * @param index       the index directory
     * @param queries     the queries file: texts, or a vector file (recognised by its magic bytes)
     * @param judged      when not null, only the queries judged in these qrels are searched
     * @param k           hits per query
     * @param ef          HNSW search beam (vector indexes)
     * @param model       encoder for text queries against a vector index, else null
     * @param maxLength   query tokens when encoding
     * @param batchSize   queries per forward pass when encoding
     * @param backend     where encoding computes (null: the current backend)
     * @param threads     search threads
     * @param removeQuery drop a hit whose id is the query's (Anserini's -removeQuery)
     * @param verify      check every index file's checksum before searching
     * @param k1          BM25 k1
     * @param b           BM25 b
     * @param quiet       no progress bars
     */
    record Request(Path index, Path queries, Qrels judged, int k, int ef, Path model, int maxLength, int batchSize,
                   Backend backend, int threads, boolean removeQuery, boolean verify, float k1, float b,
                   boolean quiet) {
        /** Defaults: ef 100, no model, 256 tokens, batches of 32, all processors, remove the query, verify, BM25 0.9/0.4. */
        static Request of(Path index, Path queries, Qrels judged, int k) {
            return new Request(index, queries, judged, k, 100, null, 256, 32, null,
                    Runtime.getRuntime().availableProcessors(), true, true, Bm25Searcher.K1, Bm25Searcher.B, true);
        }

        Request withModel(Path model, int ef, boolean quiet) {
            return new Request(index, queries, judged, k, ef, model, maxLength, batchSize, backend, threads, removeQuery,
                    verify, k1, b, quiet);
        }
    }

    /** What a search did. */
    record Result(Run run, IndexMetadata metadata, int queries, double searchSeconds) {}

    private IndexSearch() {}

    static Result run(Request request) throws IOException {
        return run(request, null);
    }

    /** As {@link #run(Request)}, refusing a vector index whose similarity is not {@code similarity} (when not null). */
    static Result run(Request request, Similarity similarity) throws IOException {
        IndexDirectories.Opened opened = IndexDirectories.open(request.index(), request.verify());
        try {
            IndexMetadata metadata = opened.metadata();
            if (similarity != null && metadata.kind() == IndexKind.BM25) {
                throw new IllegalArgumentException("--similarity applies to vector search; " + request.index()
                        + " is a BM25 index");
            }
            if (similarity != null && similarity != metadata.similarity()) {
                throw new IndexException(request.index(), "was built for " + name(metadata.similarity())
                        + " similarity, not " + name(similarity));
            }
            if (opened.metadata().kind() == IndexKind.BM25) {
                try (Bm25Searcher searcher = Bm25Searcher.over(opened, null, request.k1(), request.b())) {
                    return bm25(request, searcher);
                }
            }
            try (VectorSearcher searcher = VectorSearcher.over(opened)) {
                return vectors(request, searcher);
            }
        } catch (IOException | RuntimeException e) {
            opened.close(); // idempotent: a searcher may have closed it already
            throw e;
        }
    }

    private static Result bm25(Request request, Bm25Searcher searcher) {
        if (isVectorFile(request.queries())) {
            throw new IllegalArgumentException(request.queries() + ": a vector file, but " + request.index()
                    + " is a BM25 index; give the query texts (queries.jsonl or id TAB text)");
        }
        if (request.model() != null) {
            throw new IllegalArgumentException(request.index() + " is a BM25 index; --model applies to vector indexes");
        }
        Map<String, String> queries = judgedOnly(TextFiles.queries(request.queries()), request);
        try (Progress progress = bar(request, "search bm25", queries.size())) {
            long start = System.nanoTime();
            Run run = searcher.search(queries, settings(request, progress));
            return new Result(run, searcher.metadata(), queries.size(), (System.nanoTime() - start) / 1e9);
        }
    }

    private static Result vectors(Request request, VectorSearcher searcher) throws IOException {
        String kind = searcher.metadata().kind().label();
        if (isVectorFile(request.queries())) {
            if (request.model() != null) {
                throw new IllegalArgumentException(request.queries() + ": already vectors; --model encodes query texts");
            }
            DenseVectors queries = judgedOnly(VectorFiles.read(request.queries()), request);
            try (Progress progress = bar(request, "search " + kind, queries.size())) {
                long start = System.nanoTime();
                Run run = searcher.search(queries, request.queries(), request.ef(), settings(request, progress));
                return new Result(run, searcher.metadata(), queries.size(), (System.nanoTime() - start) / 1e9);
            }
        }
        if (request.model() == null) {
            throw new IllegalArgumentException(request.index() + " is a " + kind + " vector index: give query vectors"
                    + " (ranker4j encode) or --model to encode " + request.queries());
        }
        Map<String, String> queries = judgedOnly(TextFiles.queries(request.queries()), request);
        Backend backend = request.backend() == null ? Backends.current() : request.backend();
        SentenceEncoder encoder = InferenceModels.sentenceEncoder(request.model(), request.batchSize(), backend);
        try (Progress encoding = bar(request, "encode queries", queries.size());
             Progress progress = bar(request, "search " + kind, queries.size())) {
            long start = System.nanoTime();
            Run run = searcher.search(queries, encoder::encode, request.maxLength(), request.batchSize(), request.ef(),
                    settings(request, progress), encoding);
            return new Result(run, searcher.metadata(), queries.size(), (System.nanoTime() - start) / 1e9);
        }
    }

    private static String name(Similarity similarity) {
        return similarity.name().toLowerCase(java.util.Locale.ROOT);
    }

    private static SearchSettings settings(Request request, Progress progress) {
        return new SearchSettings(request.k(), request.threads(), request.removeQuery(), progress);
    }

    private static Progress bar(Request request, String task, long total) {
        return request.quiet() ? Progress.NONE : Progress.console(task, total, "queries");
    }

    private static Map<String, String> judgedOnly(Map<String, String> queries, Request request) {
        if (request.judged() == null) return queries;
        Map<String, String> kept = new LinkedHashMap<>();
        queries.forEach((id, text) -> {
            if (request.judged().queryIds().contains(id)) kept.put(id, text);
        });
        if (kept.isEmpty()) throw new IllegalArgumentException(request.queries() + ": no query is judged in the qrels");
        return kept;
    }

    /** The queries judged in {@code judged} (all when null), in file order. */
    static DenseVectors judgedOnly(DenseVectors queries, Qrels judged, Path file) {
        if (judged == null) return queries;
        List<String> ids = new ArrayList<>();
        List<float[]> rows = new ArrayList<>();
        for (int i = 0; i < queries.size(); i++) {
            if (judged.queryIds().contains(queries.ids().get(i))) {
                ids.add(queries.ids().get(i));
                rows.add(queries.vector(i));
            }
        }
        if (ids.isEmpty()) throw new IllegalArgumentException(file + ": no query is judged in the qrels");
        return DenseVectors.of(ids, rows.toArray(float[][]::new), queries.normalized());
    }

    private static DenseVectors judgedOnly(DenseVectors queries, Request request) {
        return judgedOnly(queries, request.judged(), request.queries());
    }

    /** Whether {@code file} starts with the vector file magic (docs/VECTORS.md). */
    static boolean isVectorFile(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return Arrays.equals(in.readNBytes(VectorFiles.MAGIC.length), VectorFiles.MAGIC);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read: " + e.getMessage(), e);
        }
    }
}
