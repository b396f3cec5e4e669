package dev.ranker4j.ir.retrieval;

import dev.ranker4j.ir.data.BeirFormat;
import dev.ranker4j.ir.data.Qrels;
import dev.ranker4j.ir.data.Run;
import dev.ranker4j.ir.metrics.Evaluation;
import dev.ranker4j.ir.metrics.Evaluator;
import dev.ranker4j.ir.metrics.Metric;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The standard dense-retrieval evaluation on a BEIR directory, as the MTEB leaderboard computes it: encode every
 * document as {@code title + " " + text} and every judged query of the split as is (both truncated to
 * {@code maxLength} tokens), exact cosine search for the top {@code k}, then trec_eval's nDCG@10, MRR@10 and
 * Recall@100 (relevance grade &ge; 1) averaged over the judged queries.
 */
public final class BeirDenseEvaluation {
    /** The metrics reported, in order. */
    public static final List<Metric> METRICS = List.of(Metric.parse("ndcg@10"), Metric.parse("mrr@10"),
            Metric.parse("recall@100"));

    /**
     * What one evaluation measured.
     *
     * @param metrics       metric name to mean over the judged queries
     * @param run           the retrieved run
     * @param encodeSeconds wall time spent encoding documents and queries
     * @param documents     documents encoded
     * @param queries       queries encoded
     */
    public record Result(Map<String, Double> metrics, Run run, double encodeSeconds, int documents, int queries) {
        /** Documents encoded per second of encoding time (queries included in the time, they are few). */
        public double documentsPerSecond() {
            return documents / encodeSeconds;
        }
    }

    private final TextEncoder encoder;
    private final int maxLength;
    private final int batchSize;
    private final int k;
    private final ExactSearch search;

    public BeirDenseEvaluation(TextEncoder encoder, int maxLength, int batchSize, int k, ExactSearch search) {
        this.encoder = encoder;
        this.maxLength = maxLength;
        this.batchSize = batchSize;
        this.k = k;
        this.search = search;
    }

    /**
     * Runs the evaluation on {@code beirDir}'s split.
     *
     * @param progress makes a progress display for a task name and a total number of texts
     */
    public Result evaluate(Path beirDir, String split, BiFunction<String, Long, Progress> progress) {
        Path qrelsFile = BeirFormat.qrelsFile(beirDir, split);
        if (!Files.isRegularFile(qrelsFile)) throw new IllegalArgumentException(qrelsFile + ": no such file");
        Qrels qrels = Qrels.read(qrelsFile);
        Map<String, String> documents = TextFiles.documents(BeirFormat.corpusFile(beirDir));
        Map<String, String> judgedQueries = new LinkedHashMap<>();
        TextFiles.queries(BeirFormat.queriesFile(beirDir)).forEach((id, text) -> {
            if (qrels.queryIds().contains(id)) judgedQueries.put(id, text);
        });
        if (judgedQueries.isEmpty()) throw new IllegalArgumentException(beirDir + ": no query of " + qrelsFile + " in queries.jsonl");

        long start = System.nanoTime();
        DenseVectors docs;
        try (Progress bar = progress.apply("encode corpus", (long) documents.size())) {
            docs = new CorpusEncoder(encoder, maxLength, batchSize, Integer.MAX_VALUE, true)
                    .encode(new ArrayList<>(documents.keySet()), new ArrayList<>(documents.values()), null, bar);
        }
        DenseVectors queries;
        try (Progress bar = progress.apply("encode queries", (long) judgedQueries.size())) {
            queries = new CorpusEncoder(encoder, maxLength, batchSize, Integer.MAX_VALUE, true)
                    .encode(new ArrayList<>(judgedQueries.keySet()), new ArrayList<>(judgedQueries.values()), null, bar);
        }
        double encodeSeconds = (System.nanoTime() - start) / 1e9;

        Run run = DenseRetrieval.toRun(queries, docs, search.search(queries, docs, k, Similarity.COSINE));
        Evaluation evaluation = new Evaluator(qrels, METRICS, 1, false).evaluate(run);
        return new Result(evaluation.means(), run, encodeSeconds, docs.size(), queries.size());
    }
}
