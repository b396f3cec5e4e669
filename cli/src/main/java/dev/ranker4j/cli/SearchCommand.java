package dev.ranker4j.cli;

import dev.ranker4j.ir.data.Qrels;
import dev.ranker4j.ir.data.Run;
import dev.ranker4j.ir.data.TrecFormat;
import dev.ranker4j.ir.retrieval.DenseRetrieval;
import dev.ranker4j.ir.retrieval.DenseVectors;
import dev.ranker4j.ir.retrieval.ExactSearch;
import dev.ranker4j.ir.retrieval.Hit;
import dev.ranker4j.ir.retrieval.Similarity;
import dev.ranker4j.ir.retrieval.VectorFiles;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code ranker4j search}: top-k search to a TREC run, either exact over vector files loaded into memory
 * ({@code --docs}) or through a Lucene index from {@code ranker4j index} ({@code --index}: BM25, HNSW, int8 HNSW or
 * flat).
 */
@Command(name = "search", mixinStandardHelpOptions = true,
        description = {"Top-k search to a TREC run.",
                "--docs FILE: exact search of query vectors against document vectors (SIMD, multithreaded).",
                "--index DIR: search a Lucene index from ranker4j index. BM25: query texts (queries.jsonl or id TAB"
                        + " text), bag of words, k1 = 0.9, b = 0.4. Vector indexes: query vectors, or query texts with"
                        + " --model (encoded as ranker4j encode --normalize does); HNSW searches with beam --ef. A hit"
                        + " whose id is the query's is dropped (Anserini's -removeQuery; --no-remove-query keeps it).",
                "Ties are ranked as trec_eval ranks them (docid descending)."})
final class SearchCommand implements Callable<Integer> {
    enum SimilarityName { cosine, dot }

    @Spec
    CommandSpec spec;

    static final class Source {
        @Option(names = "--docs", required = true, paramLabel = "FILE", description = "Document vectors (exact search).")
        Path docs;

        @Option(names = "--index", required = true, paramLabel = "DIR", description = "A Lucene index (ranker4j index).")
        Path index;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Option(names = "--queries", required = true, paramLabel = "FILE",
            description = "Query vectors (from encode), or query texts (queries.jsonl, id TAB text) for --index.")
    Path queries;

    @Option(names = "--output", required = true, paramLabel = "FILE", description = "The TREC run to write.")
    Path output;

    @Option(names = {"-k", "--k"}, defaultValue = "100", description = "Documents per query (default: ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--qrels", paramLabel = "FILE",
            description = "Search only the queries judged in these qrels (TREC or BEIR TSV), as test topics do.")
    Path qrels;

    @Option(names = "--similarity", paramLabel = "cosine|dot",
            description = "--docs: cosine (default) or dot. --index: the index's own; a different one is an error.")
    SimilarityName similarity;

    @Option(names = "--ef", defaultValue = "100",
            description = "HNSW search beam: candidates kept while walking the graph, at least k (default: ${DEFAULT-VALUE}).")
    int ef;

    @Option(names = "--model", paramLabel = "DIR|ORG/NAME",
            description = "Encoder for query texts against a vector index (sentence-transformers or HF BERT directory,"
                    + " or ORG/NAME from the Hugging Face Hub).")
    Path model;

    @Option(names = "--max-length", defaultValue = "256", description = "Query tokens when encoding (default: ${DEFAULT-VALUE}).")
    int maxLength;

    @Option(names = "--batch-size", defaultValue = "32", description = "Queries per forward pass when encoding (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--remove-query", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "--index: drop a hit whose document id equals the query id (default: on).")
    boolean removeQuery;

    @Option(names = "--verify", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "--index: check every index file's checksum before searching (default: on).")
    boolean verify;

    @Option(names = "--k1", defaultValue = "0.9", description = "BM25 k1 (default: ${DEFAULT-VALUE}).")
    float k1;

    @Option(names = "--b", defaultValue = "0.4", description = "BM25 b (default: ${DEFAULT-VALUE}).")
    float b;

    @Option(names = "--threads", description = "Search threads (default: all processors).")
    Integer threads;

    @Option(names = "--tag", description = "Run tag (default: ranker4j-dense, or ranker4j-KIND for an index).")
    String tag;

    @Option(names = "--quiet", description = "No progress bars.")
    boolean quiet;

    @Mixin
    BackendOption backend;

    @Override
    public Integer call() throws Exception {
        new OutputPaths().input("--queries", queries).input("--docs", source.docs).input("--index", source.index)
                .input("--qrels", qrels).input("--model", model).file("--output", output);
        if (k < 1) throw new CommandLine.ParameterException(spec.commandLine(), "-k must be at least 1");
        if (threads != null && threads < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--threads must be at least 1");
        }
        Qrels judged = qrels == null ? null : Qrels.read(qrels);
        return source.index != null ? searchIndex(judged) : searchVectors(judged);
    }

    private int searchVectors(Qrels judged) {
        if (model != null) throw new IllegalArgumentException("--model needs --index (it encodes queries for a vector index)");
        DenseVectors queryVectors = IndexSearch.judgedOnly(VectorFiles.read(queries), judged, queries);
        DenseVectors docVectors = VectorFiles.read(source.docs);
        ExactSearch search = threads == null ? ExactSearch.withAllProcessors() : new ExactSearch(threads);
        long start = System.nanoTime();
        List<List<Hit>> hits = search.search(queryVectors, docVectors, k,
                similarity == SimilarityName.dot ? Similarity.DOT : Similarity.COSINE);
        double seconds = (System.nanoTime() - start) / 1e9;
        Run run = DenseRetrieval.toRun(queryVectors, docVectors, hits);
        TrecFormat.writeRun(output, run.entries(tag == null ? "ranker4j-dense" : tag));
        spec.commandLine().getOut().printf(Locale.ROOT,
                "{\"output\":%s,\"queries\":%d,\"docs\":%d,\"k\":%d,\"search_s\":%.3f}%n", Json.quote(output.toString()),
                queryVectors.size(), docVectors.size(), k, seconds);
        spec.commandLine().getOut().flush();
        return 0;
    }

    private int searchIndex(Qrels judged) throws Exception {
        IndexSearch.Request request = new IndexSearch.Request(source.index, queries, judged, k, ef, model, maxLength,
                batchSize, model == null ? null : backend.install(),
                threads == null ? Runtime.getRuntime().availableProcessors() : threads, removeQuery, verify, k1, b, quiet);
        IndexSearch.Result result = IndexSearch.run(request, similarity == null ? null
                : similarity == SimilarityName.dot ? Similarity.DOT : Similarity.COSINE);
        String kind = result.metadata().kind().label();
        TrecFormat.writeRun(output, result.run().entries(tag == null ? "ranker4j-" + kind : tag));
        spec.commandLine().getOut().printf(Locale.ROOT,
                "{\"output\":%s,\"index\":%s,\"kind\":\"%s\",\"queries\":%d,\"k\":%d%s,\"search_s\":%.3f,\"qps\":%.1f}%n",
                Json.quote(output.toString()), Json.quote(source.index.toString()), kind, result.queries(), k,
                kind.equals("bm25") ? String.format(Locale.ROOT, ",\"k1\":%s,\"b\":%s", k1, b)
                        : kind.equals("flat") ? "" : ",\"ef\":" + Math.max(k, ef),
                result.searchSeconds(), result.queries() / result.searchSeconds());
        spec.commandLine().getOut().flush();
        return 0;
    }
}
