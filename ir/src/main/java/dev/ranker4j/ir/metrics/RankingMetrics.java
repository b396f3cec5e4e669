package dev.ranker4j.ir.metrics;

import java.util.Arrays;

/**
 * Per-query ranking metrics, each defined exactly as trec_eval 9.0.8 / 10.0 computes it (usnistgov/trec_eval,
 * {@code m_ndcg_cut.c}, {@code m_recip_rank.c}, {@code m_recall.c}, {@code m_map.c}, {@code m_map_cut.c},
 * {@code m_P.c}). Notation: {@code g_i} is the grade at rank {@code i} (1-based), {@code n} the number of retrieved
 * documents, {@code k} the cutoff ({@code k = n} when there is none), {@code rel_i = [g_i >= t]} with {@code t} the
 * relevance threshold (trec_eval {@code -l}, default 1), and {@code R} the number of judged documents with grade
 * &gt;= t. Unjudged documents have no gain and are never relevant.
 */
public final class RankingMetrics {
    private RankingMetrics() {}

    /**
     * nDCG@k with linear gain: {@code DCG@k = sum_{i <= min(k,n), g_i > 0} g_i / log2(i + 1)}, divided by the same sum
     * over the ideal ranking (all judged grades &gt; 0, sorted descending, first k). A query without any positively
     * graded document scores 0. The relevance threshold plays no part: graded gain is the point of nDCG.
     */
    public static double ndcg(JudgedRanking ranking, int cutoff) {
        int[] grades = ranking.gradesByRank();
        int depth = depth(cutoff, grades.length);
        double dcg = 0;
        for (int i = 0; i < depth; i++) {
            if (grades[i] > 0) dcg += grades[i] / log2(i + 2);
        }
        int[] ideal = Arrays.stream(ranking.judgedGrades()).filter(g -> g > 0).sorted().toArray();
        int idealDepth = depth(cutoff, ideal.length);
        double idealDcg = 0;
        for (int i = 0; i < idealDepth; i++) {
            idealDcg += ideal[ideal.length - 1 - i] / log2(i + 2);
        }
        return idealDcg > 0 ? dcg / idealDcg : 0;
    }

    /**
     * Reciprocal rank {@code 1 / min{i <= k : rel_i}}, 0 when no relevant document is in the top k. With a cutoff
     * this is MRR@k (trec_eval {@code -M k -m recip_rank}, the MS MARCO MRR@10).
     */
    public static double reciprocalRank(JudgedRanking ranking, int threshold, int cutoff) {
        int[] grades = ranking.gradesByRank();
        int depth = depth(cutoff, grades.length);
        for (int i = 0; i < depth; i++) {
            if (isRelevant(grades[i], threshold)) return 1.0 / (i + 1);
        }
        return 0;
    }

    /** Recall@k {@code = sum_{i <= k} rel_i / R}; 0 when {@code R = 0}. */
    public static double recall(JudgedRanking ranking, int threshold, int cutoff) {
        int relevant = ranking.numRelevant(threshold);
        return relevant == 0 ? 0 : (double) relevantInTop(ranking, threshold, cutoff) / relevant;
    }

    /**
     * P@k {@code = sum_{i <= k} rel_i / k}. The divisor is k even when fewer than k documents were retrieved, as in
     * trec_eval (a short ranking is penalised).
     */
    public static double precision(JudgedRanking ranking, int threshold, int cutoff) {
        if (cutoff <= 0) throw new IllegalArgumentException("precision needs a positive cutoff, got " + cutoff);
        return (double) relevantInTop(ranking, threshold, cutoff) / cutoff;
    }

    /**
     * Average precision {@code AP@k = (1/R) sum_{i <= k, rel_i} P@i}, i.e. the precision at each relevant retrieved
     * document, summed and divided by ALL relevant documents R (not only the retrieved ones); 0 when {@code R = 0}.
     * Without a cutoff this is trec_eval's {@code map} per query; with one, {@code map_cut}.
     */
    public static double averagePrecision(JudgedRanking ranking, int threshold, int cutoff) {
        int relevant = ranking.numRelevant(threshold);
        if (relevant == 0) return 0;
        int[] grades = ranking.gradesByRank();
        int depth = depth(cutoff, grades.length);
        int relevantSoFar = 0;
        double sum = 0;
        for (int i = 0; i < depth; i++) {
            if (isRelevant(grades[i], threshold)) {
                relevantSoFar++;
                sum += (double) relevantSoFar / (i + 1);
            }
        }
        return sum / relevant;
    }

    /** The metric's value for one query. */
    public static double compute(Metric metric, JudgedRanking ranking, int threshold) {
        return switch (metric.kind()) {
            case NDCG -> ndcg(ranking, metric.cutoff());
            case MRR -> reciprocalRank(ranking, threshold, metric.cutoff());
            case RECALL -> recall(ranking, threshold, metric.cutoff());
            case MAP -> averagePrecision(ranking, threshold, metric.cutoff());
            case PRECISION -> precision(ranking, threshold, metric.cutoff());
        };
    }

    private static int relevantInTop(JudgedRanking ranking, int threshold, int cutoff) {
        int[] grades = ranking.gradesByRank();
        int depth = depth(cutoff, grades.length);
        int count = 0;
        for (int i = 0; i < depth; i++) if (isRelevant(grades[i], threshold)) count++;
        return count;
    }

    // Unjudged documents are never relevant, even with a threshold of 0 (trec_eval marks them -1 / -2).
    private static boolean isRelevant(int grade, int threshold) {
        return grade != JudgedRanking.NOT_JUDGED && grade >= threshold;
    }

    private static int depth(int cutoff, int available) {
        return cutoff > 0 ? Math.min(cutoff, available) : available;
    }

    // C's log2; Math.log(x) / Math.log(2) may differ from it in the last bit, far below the 4 printed decimals.
    private static double log2(int x) {
        return Math.log(x) / Math.log(2);
    }
}
