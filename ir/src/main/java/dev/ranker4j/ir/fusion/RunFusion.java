package dev.ranker4j.ir.fusion;

import dev.ranker4j.ir.data.Run;
import dev.ranker4j.ir.data.ScoredDoc;
import dev.ranker4j.ir.metrics.Evaluator;
import dev.ranker4j.ir.metrics.Metric;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Linear score fusion of two runs, the usual way to combine a re-ranker with its first stage (e.g. the interpolation
 * of BERT with BM25 in Anserini/pygaggle): per query, each run's scores are min-max normalised to [0, 1] over that
 * query's list, and a document scores {@code α · a + (1 − α) · b}, a document missing from a list counting that
 * list's minimum (0). α is a number, or chosen on held-out queries by {@link #tune}.
 */
public final class RunFusion {
    private RunFusion() {}

    /** {@code α · norm(a) + (1 − α) · norm(b)} over the union of each query's documents; queries of {@code a} only. */
    public static Run interpolate(Run a, Run b, double alpha) {
        if (!(alpha >= 0 && alpha <= 1)) throw new IllegalArgumentException("alpha must be in [0, 1], got " + alpha);
        Run.Builder fused = new Run.Builder();
        for (String queryId : a.queryIds()) {
            Map<String, Double> na = normalized(a.ranking(queryId)), nb = normalized(b.ranking(queryId));
            Set<String> docs = new LinkedHashSet<>(na.keySet());
            docs.addAll(nb.keySet());
            for (String doc : docs) fused.add(queryId, doc, alpha * na.getOrDefault(doc, 0.0) + (1 - alpha) * nb.getOrDefault(doc, 0.0));
        }
        return fused.build();
    }

    /** The chosen weight and the metric it reached on the held-out queries. */
    public record Tuned(double alpha, double value) {}

    /**
     * The α of {@code grid} whose fusion of {@code a} and {@code b} scores best on {@code evaluator}'s queries by
     * {@code metric} (the first of the best on a tie, so a grid in ascending order prefers less of {@code a}).
     */
    public static Tuned tune(Run a, Run b, List<Double> grid, Evaluator evaluator, Metric metric) {
        if (grid.isEmpty()) throw new IllegalArgumentException("empty grid of weights");
        Tuned best = null;
        for (double alpha : grid) {
            double value = evaluator.evaluate(interpolate(a, b, alpha)).mean(metric);
            if (best == null || value > best.value()) best = new Tuned(alpha, value);
        }
        return best;
    }

    /** The grid 0, 1/steps, ..., 1. */
    public static List<Double> grid(int steps) {
        List<Double> grid = new ArrayList<>();
        for (int i = 0; i <= steps; i++) grid.add((double) i / steps);
        return grid;
    }

    private static Map<String, Double> normalized(List<ScoredDoc> ranking) {
        Map<String, Double> out = new LinkedHashMap<>();
        if (ranking.isEmpty()) return out;
        double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
        for (ScoredDoc doc : ranking) {
            min = Math.min(min, doc.score());
            max = Math.max(max, doc.score());
        }
        for (ScoredDoc doc : ranking) out.put(doc.docId(), max == min ? 1.0 : (doc.score() - min) / (max - min));
        return out;
    }
}
