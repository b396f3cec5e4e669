package dev.ranker4j.cli;

import dev.ranker4j.ir.data.Run;
import dev.ranker4j.ir.data.TrecFormat;
import dev.ranker4j.ir.retrieval.DenseRetrieval;
import dev.ranker4j.ir.retrieval.DenseVectors;
import dev.ranker4j.ir.retrieval.ExactSearch;
import dev.ranker4j.ir.retrieval.Hit;
import dev.ranker4j.ir.retrieval.Similarity;
import dev.ranker4j.ir.retrieval.VectorFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code ranker4j search}: exact top-k search of query vectors against document vectors, to a TREC run. */
@Command(name = "search", mixinStandardHelpOptions = true,
        description = {"Exact top-k search (every query against every document, SIMD, multithreaded) to a TREC run.",
                "Ties are broken as trec_eval ranks them (docid descending)."})
final class SearchCommand implements Callable<Integer> {
    enum SimilarityName { cosine, dot }

    @Spec
    CommandSpec spec;

    @Option(names = "--queries", required = true, paramLabel = "FILE", description = "Query vectors (from encode).")
    Path queries;

    @Option(names = "--docs", required = true, paramLabel = "FILE", description = "Document vectors (from encode).")
    Path docs;

    @Option(names = "--output", required = true, paramLabel = "FILE", description = "The TREC run to write.")
    Path output;

    @Option(names = {"-k", "--k"}, defaultValue = "100", description = "Documents per query (default: ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--similarity", defaultValue = "cosine",
            description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    SimilarityName similarity;

    @Option(names = "--threads", description = "Search threads (default: all processors).")
    Integer threads;

    @Option(names = "--tag", defaultValue = "ranker4j-dense", description = "Run tag (default: ${DEFAULT-VALUE}).")
    String tag;

    @Override
    public Integer call() {
        DenseVectors queryVectors = VectorFiles.read(queries);
        DenseVectors docVectors = VectorFiles.read(docs);
        ExactSearch search = threads == null ? ExactSearch.withAllProcessors() : new ExactSearch(threads);
        long start = System.nanoTime();
        List<List<Hit>> hits = search.search(queryVectors, docVectors, k,
                similarity == SimilarityName.dot ? Similarity.DOT : Similarity.COSINE);
        double seconds = (System.nanoTime() - start) / 1e9;
        Run run = DenseRetrieval.toRun(queryVectors, docVectors, hits);
        TrecFormat.writeRun(output, run.entries(tag));
        spec.commandLine().getOut().printf(java.util.Locale.ROOT,
                "{\"output\":%s,\"queries\":%d,\"docs\":%d,\"k\":%d,\"search_s\":%.3f}%n", Json.quote(output.toString()),
                queryVectors.size(), docVectors.size(), k, seconds);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
