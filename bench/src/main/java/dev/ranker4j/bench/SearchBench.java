package dev.ranker4j.bench;

import dev.ranker4j.cli.BackendOption;
import dev.ranker4j.cli.InferenceModels;
import dev.ranker4j.index.Bm25Indexer;
import dev.ranker4j.index.Bm25Searcher;
import dev.ranker4j.index.EnglishAnalysis;
import dev.ranker4j.index.IndexKind;
import dev.ranker4j.index.IndexStatistics;
import dev.ranker4j.index.SearchSettings;
import dev.ranker4j.index.VectorIndexer;
import dev.ranker4j.index.VectorSearcher;
import dev.ranker4j.kernels.Backend;
import dev.ranker4j.ir.data.BeirFormat;
import dev.ranker4j.ir.data.Qrels;
import dev.ranker4j.ir.data.Run;
import dev.ranker4j.ir.data.ScoredDoc;
import dev.ranker4j.ir.metrics.Evaluator;
import dev.ranker4j.ir.metrics.Metric;
import dev.ranker4j.ir.retrieval.CorpusEncoder;
import dev.ranker4j.ir.retrieval.DenseRetrieval;
import dev.ranker4j.ir.retrieval.DenseVectors;
import dev.ranker4j.ir.retrieval.ExactSearch;
import dev.ranker4j.ir.retrieval.Progress;
import dev.ranker4j.ir.retrieval.Similarity;
import dev.ranker4j.ir.retrieval.TextFiles;
import dev.ranker4j.ir.retrieval.VectorFiles;
import dev.ranker4j.transformer.bert.SentenceEncoder;
import jdk.incubator.vector.FloatVector;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * {@code ranker4j bench search --model M --data BEIR_DIR}: the first stage on one BEIR split, one JSON line per
 * method: exact search over vectors in memory ({@code ExactSearch}), then Lucene flat, HNSW and int8 HNSW indexes of
 * the same vectors, then BM25.
 *
 * <p>Each line gives the build time of the index, queries per second (the judged queries searched once to warm up,
 * then {@code --rounds} times; the median round), nDCG@10 and recall@100 (BM25 also recall@1000 at k = 1000), and
 * for the vector indexes how far they are from exact: the mean over queries of |top-k ∩ exact top-k| / k
 * ({@code overlap@k}) and the nDCG@10 difference. The vectors are the model's, normalized (cosine), as
 * {@code quickstart --data} encodes them; {@code --docs}/{@code --queries} take vector files from
 * {@code ranker4j encode} instead of encoding (minutes for a corpus).
 */
@Command(name = "search", mixinStandardHelpOptions = true,
        description = "Exact vs Lucene flat vs HNSW vs int8 HNSW (and BM25) on a BEIR split: qps, nDCG@10, recall@100,"
                + " overlap with exact; one JSON line each.")
public final class SearchBench implements Callable<Integer> {
    private static final List<Metric> METRICS = List.of(Metric.parse("ndcg@10"), Metric.parse("recall@100"));

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "A BEIR directory (corpus.jsonl, queries.jsonl, qrels/).")
    Path data;

    @Option(names = "--split", defaultValue = "test", description = "Qrels split (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--model", paramLabel = "DIR|ORG/NAME", description = "The dual encoder (needed unless --docs and --queries are given).")
    Path model;

    @Option(names = "--docs", paramLabel = "FILE", description = "Document vectors of corpus.jsonl (instead of encoding).")
    Path docsFile;

    @Option(names = "--queries", paramLabel = "FILE", description = "Query vectors of queries.jsonl (instead of encoding).")
    Path queriesFile;

    @Option(names = {"-k", "--k"}, defaultValue = "100", description = "Hits per query (default: ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--ef", defaultValue = "100", split = ",", paramLabel = "N[,N...]",
            description = "HNSW search beams, one line each (default: ${DEFAULT-VALUE}).")
    List<Integer> efs;

    @Option(names = {"-M", "--m"}, defaultValue = "16", description = "HNSW connections per node (default: ${DEFAULT-VALUE}).")
    int m;

    @Option(names = "--ef-construction", defaultValue = "100", description = "HNSW build beam (default: ${DEFAULT-VALUE}).")
    int efConstruction;

    @Option(names = "--threads", defaultValue = "1",
            description = "Search threads (default: ${DEFAULT-VALUE}: qps per core). Indexes are built with one thread"
                    + " (the same graph every run).")
    int threads;

    @Option(names = "--rounds", defaultValue = "3", description = "Timed rounds over all queries (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--max-length", defaultValue = "256", description = "Tokens per text when encoding (default: ${DEFAULT-VALUE}).")
    int maxLength;

    @Option(names = "--batch-size", defaultValue = "32", description = "Texts per forward pass when encoding (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--bm25", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Also index and search BM25 (default: on).")
    boolean bm25;

    @Mixin
    BackendOption backendOption;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (k < 1 || rounds < 1 || threads < 1 || efs.stream().anyMatch(ef -> ef < 1)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "-k, --ef, --rounds and --threads must be >= 1");
        }
        if ((docsFile == null || queriesFile == null) && model == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give --model, or both --docs and --queries");
        }
        Qrels qrels = Qrels.read(BeirFormat.qrelsFile(data, split));
        DenseVectors docs, queries;
        if (docsFile != null && queriesFile != null) {
            docs = VectorFiles.read(docsFile);
            queries = judged(VectorFiles.read(queriesFile), qrels);
        } else {
            Backend backend = backendOption.install();
            SentenceEncoder encoder = InferenceModels.sentenceEncoder(model, batchSize, backend);
            docs = docsFile != null ? VectorFiles.read(docsFile)
                    : encode(encoder, TextFiles.documents(BeirFormat.corpusFile(data)), "encode corpus");
            Map<String, String> texts = new LinkedHashMap<>();
            TextFiles.queries(BeirFormat.queriesFile(data)).forEach((id, text) -> {
                if (qrels.queryIds().contains(id)) texts.put(id, text);
            });
            queries = queriesFile != null ? judged(VectorFiles.read(queriesFile), qrels)
                    : encode(encoder, texts, "encode queries");
        }
        String shape = String.format(Locale.ROOT, "\"docs\":%d,\"queries\":%d,\"dim\":%d,\"k\":%d,\"threads\":%d,"
                        + "\"float_lanes\":%d,\"vector_bits\":%d", docs.size(), queries.size(), docs.dimension(), k,
                threads, FloatVector.SPECIES_PREFERRED.length(), FloatVector.SPECIES_PREFERRED.vectorBitSize());

        ExactSearch exactSearch = new ExactSearch(threads);
        Supplier<Run> exactRound = () -> DenseRetrieval.toRun(queries, docs,
                exactSearch.search(queries, docs, k, Similarity.COSINE));
        Timed exact = time(exactRound, queries.size());
        Map<String, Double> exactMetrics = evaluate(qrels, exact.run());
        print("exact", shape, 0, exact, exactMetrics, "");

        Path temp = Files.createTempDirectory("ranker4j-bench-search-");
        try {
            for (IndexKind kind : List.of(IndexKind.FLAT, IndexKind.HNSW, IndexKind.HNSW_INT8)) {
                Path index = temp.resolve(kind.label());
                IndexStatistics built = new VectorIndexer(new VectorIndexer.Settings(kind, Similarity.COSINE, m,
                        efConstruction, 1)).index(docs, "docs", index, Progress.NONE);
                try (VectorSearcher searcher = VectorSearcher.open(index, true)) {
                    for (int ef : kind == IndexKind.FLAT ? List.of(0) : efs) {
                        SearchSettings settings = SearchSettings.of(k).withThreads(threads).withRemoveQuery(false);
                        Timed searched = time(() -> searcher.search(queries, Path.of("queries"), ef, settings),
                                queries.size());
                        Map<String, Double> metrics = evaluate(qrels, searched.run());
                        String graph = kind == IndexKind.FLAT ? "" : String.format(Locale.ROOT,
                                ",\"m\":%d,\"ef_construction\":%d,\"ef\":%d", m, efConstruction, Math.max(k, ef));
                        print(kind.label(), shape + graph, built.seconds(), searched, metrics,
                                String.format(Locale.ROOT, ",\"overlap@%d\":%.4f,\"ndcg@10_delta\":%.4f", k,
                                        overlap(exact.run(), searched.run(), k),
                                        metrics.get("ndcg@10") - exactMetrics.get("ndcg@10")));
                    }
                }
            }
            if (bm25) bm25(qrels, temp.resolve("bm25"));
        } finally {
            try (Stream<Path> files = Files.walk(temp)) {
                for (Path file : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) Files.delete(file);
            }
        }
        return 0;
    }

    private void bm25(Qrels qrels, Path index) throws IOException {
        Path corpus = BeirFormat.corpusFile(data);
        IndexStatistics built = new Bm25Indexer(EnglishAnalysis.DEFAULT, Runtime.getRuntime().availableProcessors())
                .index(corpus, index, Progress.NONE);
        Map<String, String> texts = new LinkedHashMap<>();
        TextFiles.queries(BeirFormat.queriesFile(data)).forEach((id, text) -> {
            if (qrels.queryIds().contains(id)) texts.put(id, text);
        });
        Timed searched;
        try (Bm25Searcher searcher = Bm25Searcher.open(index, true, EnglishAnalysis.DEFAULT, Bm25Searcher.K1,
                Bm25Searcher.B)) {
            SearchSettings settings = SearchSettings.of(1000).withThreads(threads);
            searched = time(() -> searcher.search(texts, settings), texts.size());
        }
        Map<String, Double> metrics = new Evaluator(qrels, List.of(Metric.parse("ndcg@10"), Metric.parse("recall@100"),
                Metric.parse("recall@1000")), 1, true).evaluate(searched.run()).means();
        System.out.printf(Locale.ROOT, "{\"bench\":\"search\",\"method\":\"bm25\",\"docs\":%d,\"queries\":%d,"
                        + "\"k\":1000,\"threads\":%d,\"index_threads\":%d,\"total_terms\":%d,\"index_s\":%.3f,"
                        + "\"search_s\":%.3f,\"qps\":%.1f,\"ndcg@10\":%.4f,\"recall@100\":%.4f,\"recall@1000\":%.4f}%n",
                built.documents(), texts.size(), threads, Runtime.getRuntime().availableProcessors(), built.terms(),
                built.seconds(), searched.seconds(), texts.size() / searched.seconds(), metrics.get("ndcg@10"),
                metrics.get("recall@100"), metrics.get("recall@1000"));
        System.out.flush();
    }

    private DenseVectors encode(SentenceEncoder encoder, Map<String, String> texts, String task) {
        try (Progress progress = Progress.console(task, texts.size(), "texts")) {
            return new CorpusEncoder(encoder::encode, maxLength, batchSize, Integer.MAX_VALUE, true)
                    .encode(new ArrayList<>(texts.keySet()), new ArrayList<>(texts.values()), null, progress);
        }
    }

    private static DenseVectors judged(DenseVectors queries, Qrels qrels) {
        List<String> ids = new ArrayList<>();
        List<float[]> rows = new ArrayList<>();
        for (int i = 0; i < queries.size(); i++) {
            if (qrels.queryIds().contains(queries.ids().get(i))) {
                ids.add(queries.ids().get(i));
                rows.add(queries.vector(i));
            }
        }
        return DenseVectors.of(ids, rows.toArray(float[][]::new), queries.normalized());
    }

    /** A run and the median wall time of the timed rounds that produced it. */
    private record Timed(Run run, double seconds) {}

    private Timed time(Supplier<Run> round, int queries) {
        Run run = round.get(); // warm-up: the JIT compiles the search loops
        double[] seconds = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            long start = System.nanoTime();
            run = round.get();
            seconds[r] = (System.nanoTime() - start) / 1e9;
        }
        Arrays.sort(seconds);
        return new Timed(run, seconds[rounds / 2]);
    }

    private static Map<String, Double> evaluate(Qrels qrels, Run run) {
        return new Evaluator(qrels, METRICS, 1, true).evaluate(run).means();
    }

    /** Mean over the exact run's queries of |top-k ∩ exact top-k| / k. */
    static double overlap(Run exact, Run approximate, int k) {
        double sum = 0;
        for (String query : exact.queryIds()) {
            Set<String> truth = new HashSet<>();
            exact.ranking(query).stream().limit(k).map(ScoredDoc::docId).forEach(truth::add);
            long found = approximate.ranking(query).stream().limit(k).map(ScoredDoc::docId).filter(truth::contains)
                    .count();
            sum += truth.isEmpty() ? 1 : found / (double) truth.size();
        }
        return sum / exact.size();
    }

    private static void print(String method, String shape, double indexSeconds, Timed timed,
                              Map<String, Double> metrics, String extra) {
        int queries = timed.run().size();
        System.out.printf(Locale.ROOT, "{\"bench\":\"search\",\"method\":\"%s\",%s,\"index_s\":%.3f,\"search_s\":%.4f,"
                        + "\"qps\":%.1f,\"ndcg@10\":%.4f,\"recall@100\":%.4f%s}%n", method, shape, indexSeconds,
                timed.seconds(), queries / timed.seconds(), metrics.get("ndcg@10"), metrics.get("recall@100"), extra);
        System.out.flush();
    }
}
