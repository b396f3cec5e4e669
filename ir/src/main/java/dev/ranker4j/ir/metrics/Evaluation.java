package dev.ranker4j.ir.metrics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The result of {@link Evaluator#evaluate}: per-query values and their means, metric by metric. */
public final class Evaluation {
    private final List<Metric> metrics;
    private final Map<String, double[]> perQuery;

    Evaluation(List<Metric> metrics, Map<String, double[]> perQuery) {
        this.metrics = List.copyOf(metrics);
        this.perQuery = Collections.unmodifiableMap(new LinkedHashMap<>(perQuery));
    }

    /** The metrics in the order they were requested. */
    public List<Metric> metrics() {
        return metrics;
    }

    /** The evaluated queries in trec_eval's output order. */
    public List<String> queryIds() {
        return List.copyOf(perQuery.keySet());
    }

    /** Number of evaluated queries (trec_eval's {@code num_q}). */
    public int numQueries() {
        return perQuery.size();
    }

    /** The metric's value for one query. */
    public double value(Metric metric, String queryId) {
        double[] values = perQuery.get(queryId);
        if (values == null) throw new IllegalArgumentException("query " + queryId + " was not evaluated");
        return values[index(metric)];
    }

    /** The metric's values for every evaluated query, in {@link #queryIds()} order (input of significance tests). */
    public double[] values(Metric metric) {
        int index = index(metric);
        return perQuery.values().stream().mapToDouble(values -> values[index]).toArray();
    }

    /** The metric's values aligned to the given queries (for comparing runs query by query). */
    public double[] values(Metric metric, List<String> queryIds) {
        double[] aligned = new double[queryIds.size()];
        for (int i = 0; i < aligned.length; i++) aligned[i] = value(metric, queryIds.get(i));
        return aligned;
    }

    /** The mean over evaluated queries (summed in query order, then divided, as trec_eval does). */
    public double mean(Metric metric) {
        double sum = 0;
        for (double value : values(metric)) sum += value;
        return sum / perQuery.size();
    }

    /** Metric name to mean, in metric order. */
    public Map<String, Double> means() {
        Map<String, Double> means = new LinkedHashMap<>();
        for (Metric metric : metrics) means.put(metric.name(), mean(metric));
        return means;
    }

    private int index(Metric metric) {
        int index = metrics.indexOf(metric);
        if (index < 0) throw new IllegalArgumentException("metric " + metric + " was not computed; have " + metrics);
        return index;
    }

    /** The queries evaluated in both {@code this} and {@code other}, in this evaluation's order. */
    public List<String> commonQueryIds(Evaluation other) {
        List<String> common = new ArrayList<>();
        for (String queryId : perQuery.keySet()) if (other.perQuery.containsKey(queryId)) common.add(queryId);
        return common;
    }
}
