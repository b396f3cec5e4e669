package dev.ranker4j.ir.metrics;

import java.util.Locale;
import java.util.Objects;

/**
 * A metric and its rank cutoff, written {@code ndcg@10}, {@code mrr@10}, {@code recall@100}, {@code map},
 * {@code map@100}, {@code p@10}. Cutoff 0 means the whole ranking. Each corresponds to a trec_eval measure; see
 * {@link #trecEvalName()} and {@link RankingMetrics} for the definitions.
 */
public record Metric(Kind kind, int cutoff) {

    /** The metric families. */
    public enum Kind {
        /** Normalized discounted cumulative gain with linear gain (trec_eval {@code ndcg_cut}). */
        NDCG("ndcg", false),
        /** Reciprocal rank of the first relevant document (trec_eval {@code recip_rank}, cut with {@code -M k}). */
        MRR("mrr", false),
        /** Fraction of the relevant documents retrieved in the top k (trec_eval {@code recall}). */
        RECALL("recall", true),
        /** Average precision (trec_eval {@code map}; {@code map_cut} with a cutoff). */
        MAP("map", false),
        /** Precision at k (trec_eval {@code P}). */
        PRECISION("p", true);

        private final String label;
        private final boolean needsCutoff;

        Kind(String label, boolean needsCutoff) {
            this.label = label;
            this.needsCutoff = needsCutoff;
        }

        /** True when the metric uses the binary relevance threshold rather than graded gains. */
        public boolean binary() {
            return this != NDCG;
        }
    }

    public Metric {
        Objects.requireNonNull(kind, "kind");
        if (cutoff < 0) throw new IllegalArgumentException("a metric cutoff must be positive, got " + cutoff);
        if (cutoff == 0 && kind.needsCutoff) {
            throw new IllegalArgumentException(kind.label + " needs a cutoff, e.g. " + kind.label + "@10");
        }
    }

    /** Parses {@code name} or {@code name@k} (case-insensitive); names: ndcg, mrr, recall, map, p. */
    public static Metric parse(String spec) {
        String text = spec.strip().toLowerCase(Locale.ROOT);
        int at = text.indexOf('@');
        String name = at < 0 ? text : text.substring(0, at);
        int cutoff = 0;
        if (at >= 0) {
            try {
                cutoff = Integer.parseInt(text.substring(at + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("metric '" + spec + "': the cutoff after '@' must be an integer");
            }
            if (cutoff <= 0) throw new IllegalArgumentException("metric '" + spec + "': the cutoff must be positive");
        }
        for (Kind kind : Kind.values()) {
            if (kind.label.equals(name)) return new Metric(kind, cutoff);
        }
        throw new IllegalArgumentException("unknown metric '" + spec + "'; known: ndcg@k, mrr[@k], recall@k, map[@k], p@k");
    }

    /** The canonical name, e.g. {@code ndcg@10} or {@code map}. */
    public String name() {
        return cutoff == 0 ? kind.label : kind.label + "@" + cutoff;
    }

    /** The trec_eval measure that prints the same number (with {@code -M k} for a cut MRR). */
    public String trecEvalName() {
        return switch (kind) {
            case NDCG -> cutoff == 0 ? "ndcg" : "ndcg_cut_" + cutoff;
            case MRR -> cutoff == 0 ? "recip_rank" : "recip_rank (with -M " + cutoff + ")";
            case RECALL -> "recall_" + cutoff;
            case MAP -> cutoff == 0 ? "map" : "map_cut_" + cutoff;
            case PRECISION -> "P_" + cutoff;
        };
    }

    @Override
    public String toString() {
        return name();
    }
}
