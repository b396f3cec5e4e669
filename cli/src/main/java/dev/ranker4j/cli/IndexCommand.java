package dev.ranker4j.cli;

import dev.ranker4j.index.Bm25Indexer;
import dev.ranker4j.index.EnglishAnalysis;
import dev.ranker4j.index.IndexKind;
import dev.ranker4j.index.IndexStatistics;
import dev.ranker4j.index.VectorIndexer;
import dev.ranker4j.ir.retrieval.DenseVectors;
import dev.ranker4j.ir.retrieval.Progress;
import dev.ranker4j.ir.retrieval.Similarity;
import dev.ranker4j.ir.retrieval.VectorFiles;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code ranker4j index bm25|hnsw|flat}: Lucene indexes for the first stage (docs/RETRIEVAL.md). */
@Command(name = "index", mixinStandardHelpOptions = true,
        description = {"Build a Lucene index for first-stage search (ranker4j search --index DIR).",
                "The index is written to DIR.partial and renamed to DIR when complete; an existing index at DIR is"
                        + " replaced only then."},
        subcommands = {IndexCommand.Bm25.class, IndexCommand.Hnsw.class, IndexCommand.Flat.class})
final class IndexCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name the index kind: bm25, hnsw or flat");
    }

    private static int processors() {
        return Runtime.getRuntime().availableProcessors();
    }

    private static void report(CommandSpec spec, Path output, String settings, IndexStatistics statistics) {
        PrintWriter out = spec.commandLine().getOut();
        out.println("{\"output\":" + Json.quote(output.toString()) + "," + settings + "," + statistics.json() + "}");
        out.flush();
    }

    @Command(name = "bm25", mixinStandardHelpOptions = true,
            description = {"A BM25 index of a corpus, as Anserini builds it (BeirFlatCollection, DefaultEnglishAnalyzer):"
                    + " contents = title + \" \" + text, analysed with Lucene's StandardTokenizer, the English possessive"
                    + " filter, lower case, Lucene's English stop words and the Porter stemmer; blank documents are"
                    + " skipped. Search it with BM25 (k1 = 0.9, b = 0.4 by default).",
                    "Prints the index statistics (documents, total terms, unique terms) as JSON."})
    static final class Bm25 implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--corpus", required = true, paramLabel = "FILE",
                description = "BEIR corpus.jsonl[.gz] or MS MARCO collection.tsv (id TAB text).")
        Path corpus;

        @Option(names = "--output", required = true, paramLabel = "DIR", description = "The index directory.")
        Path output;

        @Option(names = "--stemmer", defaultValue = "porter", paramLabel = "porter|krovetz|none",
                description = "Stemmer at the end of the analysis (default: ${DEFAULT-VALUE}, Anserini's default).")
        String stemmer;

        @Option(names = "--keep-stopwords", description = "Keep Lucene's English stop words (Anserini -keepStopwords).")
        boolean keepStopwords;

        @Option(names = "--threads", description = "Indexing threads (default: all processors).")
        Integer threads;

        @Option(names = "--quiet", description = "No progress bar.")
        boolean quiet;

        @Override
        public Integer call() {
            new OutputPaths().input("--corpus", corpus).directory("--output", output);
            EnglishAnalysis analysis = new EnglishAnalysis(EnglishAnalysis.Stemmer.parse(stemmer), !keepStopwords);
            long lines = quiet ? 0 : Bm25Indexer.countLines(corpus);
            IndexStatistics statistics;
            try (Progress progress = quiet ? Progress.NONE : Progress.console("index bm25", lines, "docs")) {
                statistics = new Bm25Indexer(analysis, threads == null ? processors() : threads)
                        .index(corpus, output, progress);
            }
            report(spec, output, "\"kind\":\"bm25\",\"analyzer\":" + Json.quote(analysis.id()), statistics);
            return 0;
        }
    }

    /** Options shared by the vector index kinds. */
    abstract static class VectorIndex implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--vectors", required = true, paramLabel = "FILE",
                description = "Document vectors (from ranker4j encode; docs/VECTORS.md).")
        Path vectors;

        @Option(names = "--output", required = true, paramLabel = "DIR", description = "The index directory.")
        Path output;

        @Option(names = "--similarity", defaultValue = "cosine", paramLabel = "cosine|dot",
                description = "Similarity the index searches with (default: ${DEFAULT-VALUE}).")
        SearchCommand.SimilarityName similarity;

        @Option(names = "--quiet", description = "No progress bar.")
        boolean quiet;

        abstract IndexKind kind();

        abstract int m();

        abstract int efConstruction();

        abstract int threads();

        @Override
        public Integer call() {
            new OutputPaths().input("--vectors", vectors).directory("--output", output);
            DenseVectors docs = VectorFiles.read(vectors);
            IndexKind kind = kind();
            Similarity sim = similarity == SearchCommand.SimilarityName.dot ? Similarity.DOT : Similarity.COSINE;
            IndexStatistics statistics;
            try (Progress progress = quiet ? Progress.NONE : Progress.console("index " + kind.label(), docs.size(),
                    "docs")) {
                statistics = new VectorIndexer(new VectorIndexer.Settings(kind, sim, m(), efConstruction(), threads()))
                        .index(docs, vectors.getFileName().toString(), output, progress);
            }
            String settings = "\"kind\":\"" + kind.label() + "\",\"similarity\":\"" + similarity + "\""
                    + (kind == IndexKind.FLAT ? "" : ",\"m\":" + m() + ",\"ef_construction\":" + efConstruction());
            report(spec, output, settings, statistics);
            return 0;
        }
    }

    @Command(name = "hnsw", mixinStandardHelpOptions = true,
            description = {"An HNSW index of document vectors (Lucene99HnswVectorsFormat; with --int8, 8-bit scalar"
                    + " quantized vectors in the graph, Lucene104HnswScalarQuantizedVectorsFormat). Up to 4096"
                    + " dimensions. Search it with ranker4j search --index DIR --ef N."})
    static final class Hnsw extends VectorIndex {
        @Option(names = {"-M", "--m"}, defaultValue = "16",
                description = "Maximum connections per graph node (default: ${DEFAULT-VALUE}).")
        int m;

        @Option(names = "--ef-construction", defaultValue = "100",
                description = "Candidate queue while building the graph (default: ${DEFAULT-VALUE}).")
        int efConstruction;

        @Option(names = "--int8", description = "Quantize the vectors to unsigned bytes (int8 HNSW).")
        boolean int8;

        @Option(names = "--threads", defaultValue = "1",
                description = "Indexing and graph-merging threads (default: ${DEFAULT-VALUE}, which builds the same"
                        + " graph every run; more threads are faster but the graph varies).")
        int threads;

        @Override
        IndexKind kind() {
            return int8 ? IndexKind.HNSW_INT8 : IndexKind.HNSW;
        }

        @Override
        int m() {
            return m;
        }

        @Override
        int efConstruction() {
            return efConstruction;
        }

        @Override
        int threads() {
            return threads;
        }
    }

    @Command(name = "flat", mixinStandardHelpOptions = true,
            description = {"A flat index of document vectors: no graph; every search scans all vectors (exact)."})
    static final class Flat extends VectorIndex {
        @Option(names = "--threads", description = "Indexing threads (default: all processors).")
        Integer threads;

        @Override
        IndexKind kind() {
            return IndexKind.FLAT;
        }

        @Override
        int m() {
            return 16;
        }

        @Override
        int efConstruction() {
            return 100;
        }

        @Override
        int threads() {
            return threads == null ? processors() : threads;
        }
    }
}
