package dev.ranker4j.ir.metrics;

import dev.ranker4j.ir.data.ScoredDoc;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The plain twin of {@link RankingMetrics} for tests: the textbook formulas written straight from the definitions
 * over a list sorted with an explicit comparator chain, sharing no code with the implementation under test.
 * Ids in tests are ASCII, where {@link String#compareTo} is strcmp order.
 */
final class ReferenceMetrics {
    private ReferenceMetrics() {}

    static List<Integer> gradesInTrecEvalOrder(List<ScoredDoc> docs, Map<String, Integer> qrels) {
        return docs.stream()
                .sorted(Comparator.comparingDouble(ScoredDoc::score).reversed()
                        .thenComparing(ScoredDoc::docId, Comparator.reverseOrder()))
                .map(d -> qrels.getOrDefault(d.docId(), -1))
                .map(g -> g < 0 ? -1 : g)
                .toList();
    }

    static List<Integer> top(List<Integer> grades, int k) {
        return k == 0 ? grades : grades.subList(0, Math.min(k, grades.size()));
    }

    static double dcg(List<Integer> grades) {
        return IntStream.range(0, grades.size())
                .mapToDouble(i -> Math.max(0, grades.get(i)) / (Math.log(i + 2) / Math.log(2)))
                .sum();
    }

    static double ndcg(List<ScoredDoc> docs, Map<String, Integer> qrels, int k) {
        List<Integer> ideal = qrels.values().stream().filter(g -> g > 0).sorted(Comparator.reverseOrder()).toList();
        double idealDcg = dcg(top(ideal, k));
        return idealDcg == 0 ? 0 : dcg(top(gradesInTrecEvalOrder(docs, qrels), k)) / idealDcg;
    }

    static long numRelevant(Map<String, Integer> qrels, int t) {
        return qrels.values().stream().filter(g -> g >= 0 && g >= t).count();
    }

    static double averagePrecision(List<ScoredDoc> docs, Map<String, Integer> qrels, int t, int k) {
        List<Integer> grades = top(gradesInTrecEvalOrder(docs, qrels), k);
        long relevant = numRelevant(qrels, t);
        if (relevant == 0) return 0;
        double sum = 0;
        for (int rank = 1; rank <= grades.size(); rank++) {
            if (grades.get(rank - 1) >= 0 && grades.get(rank - 1) >= t) {
                long relevantAbove = grades.subList(0, rank).stream().filter(g -> g >= 0 && g >= t).count();
                sum += (double) relevantAbove / rank;
            }
        }
        return sum / relevant;
    }

    static double reciprocalRank(List<ScoredDoc> docs, Map<String, Integer> qrels, int t, int k) {
        List<Integer> grades = top(gradesInTrecEvalOrder(docs, qrels), k);
        for (int rank = 1; rank <= grades.size(); rank++) {
            if (grades.get(rank - 1) >= 0 && grades.get(rank - 1) >= t) return 1.0 / rank;
        }
        return 0;
    }

    static double recall(List<ScoredDoc> docs, Map<String, Integer> qrels, int t, int k) {
        long relevant = numRelevant(qrels, t);
        long found = top(gradesInTrecEvalOrder(docs, qrels), k).stream().filter(g -> g >= 0 && g >= t).count();
        return relevant == 0 ? 0 : (double) found / relevant;
    }

    static double precision(List<ScoredDoc> docs, Map<String, Integer> qrels, int t, int k) {
        return (double) top(gradesInTrecEvalOrder(docs, qrels), k).stream().filter(g -> g >= 0 && g >= t).count() / k;
    }
}
