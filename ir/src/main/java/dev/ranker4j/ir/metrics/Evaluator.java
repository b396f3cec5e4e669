package dev.ranker4j.ir.metrics;

import dev.ranker4j.ir.data.Qrels;
import dev.ranker4j.ir.data.Run;
import dev.ranker4j.ir.data.TrecEvalOrder;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Evaluates runs against qrels the way trec_eval does.
 *
 * <ul>
 *   <li>Which queries count: a query is evaluated when it is in the qrels and in the run; run queries without
 *       judgments are ignored. By default the mean is over those queries (trec_eval 9.0.x; trec_eval 10.0-rc3 instead
 *       stops with an error when a judged query is missing from the run). With {@code completeQueries} (trec_eval
 *       {@code -c}) every judged query counts, a missing one scoring 0 on every metric here.</li>
 *   <li>A judged query whose judgments are all non-relevant is evaluated and scores 0 (trec_eval does the same).</li>
 *   <li>The relevance threshold (trec_eval {@code -l}) decides relevance for MRR, recall, MAP and P: a document is
 *       relevant when its grade is &gt;= the threshold. nDCG ignores it and uses the grades as gains. TREC DL passage
 *       uses {@code -l 2}; trec_eval's default is 1.</li>
 *   <li>Rankings are by score descending, ties by docid descending ({@link TrecEvalOrder}).</li>
 * </ul>
 * Per-query output lists queries in trec_eval's order (qid ascending by {@code strcmp}).
 */
public final class Evaluator {
    private final Qrels qrels;
    private final List<Metric> metrics;
    private final int relevanceThreshold;
    private final boolean completeQueries;

    /**
     * @param relevanceThreshold minimum grade of a relevant document for the binary metrics (&gt;= 0)
     * @param completeQueries    average over every judged query (trec_eval {@code -c}) instead of the judged queries
     *                           the run answers
     */
    public Evaluator(Qrels qrels, List<Metric> metrics, int relevanceThreshold, boolean completeQueries) {
        this.qrels = Objects.requireNonNull(qrels, "qrels");
        this.metrics = List.copyOf(metrics);
        if (this.metrics.isEmpty()) throw new IllegalArgumentException("no metrics to compute");
        if (relevanceThreshold < 0) {
            throw new IllegalArgumentException("the relevance threshold must be >= 0, got " + relevanceThreshold);
        }
        this.relevanceThreshold = relevanceThreshold;
        this.completeQueries = completeQueries;
    }

    /** Per-query values and means of every metric for {@code run}. */
    public Evaluation evaluate(Run run) {
        List<String> queryIds = new ArrayList<>(qrels.queryIds());
        queryIds.sort(TrecEvalOrder::compareIds);
        Map<String, double[]> perQuery = new LinkedHashMap<>();
        for (String queryId : queryIds) {
            if (!run.contains(queryId) && !completeQueries) continue;
            JudgedRanking ranking = JudgedRanking.of(run.ranking(queryId), qrels.judgments(queryId));
            double[] values = new double[metrics.size()];
            for (int m = 0; m < values.length; m++) {
                values[m] = RankingMetrics.compute(metrics.get(m), ranking, relevanceThreshold);
            }
            perQuery.put(queryId, values);
        }
        if (perQuery.isEmpty()) {
            throw new IllegalArgumentException("no query of the run has judgments in the qrels (run has "
                    + run.size() + " queries, qrels " + qrels.size() + "): are the query ids the same?");
        }
        return new Evaluation(metrics, perQuery);
    }

    /** The judgments runs are evaluated against. */
    public Qrels qrels() {
        return qrels;
    }

    /** The metrics, in output order. */
    public List<Metric> metrics() {
        return metrics;
    }
}
