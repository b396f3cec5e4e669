package dev.ranker4j.ir.metrics;

import dev.ranker4j.ir.data.ScoredDoc;
import dev.ranker4j.ir.data.TrecEvalOrder;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * One query's ranking reduced to what every metric needs: the grade of the document at each rank, and the grades of
 * all judged documents of the query (for the ideal ranking and the number of relevant documents). trec_eval calls
 * this {@code RES_RELS}.
 *
 * @param gradesByRank  grade of the document at rank {@code i + 1}; {@link #NOT_JUDGED} for documents without a
 *                      judgment (and for qrels' negative grades, which trec_eval treats as "in the pool, unjudged")
 * @param judgedGrades  the grade of every judged document of the query with a grade &gt;= 0, any order
 */
public record JudgedRanking(int[] gradesByRank, int[] judgedGrades) {
    /** The grade used for retrieved documents that have no (non-negative) judgment: never relevant, no gain. */
    public static final int NOT_JUDGED = -1;

    /**
     * Ranks {@code docs} in trec_eval order (score descending, then docid descending) and looks up their grades.
     * The input order and rank fields do not matter.
     */
    public static JudgedRanking of(List<ScoredDoc> docs, Map<String, Integer> judgments) {
        List<ScoredDoc> ranked = new ArrayList<>(docs);
        ranked.sort(TrecEvalOrder.RANKING);
        int[] gradesByRank = new int[ranked.size()];
        for (int i = 0; i < gradesByRank.length; i++) {
            Integer grade = judgments.get(ranked.get(i).docId());
            gradesByRank[i] = grade == null || grade < 0 ? NOT_JUDGED : grade;
        }
        int[] judgedGrades = judgments.values().stream().mapToInt(Integer::intValue).filter(g -> g >= 0).toArray();
        return new JudgedRanking(gradesByRank, judgedGrades);
    }

    /** A query the run did not answer (trec_eval's {@code -c} "bogus ranking"): nothing retrieved. */
    public static JudgedRanking empty(Map<String, Integer> judgments) {
        return of(List.of(), judgments);
    }

    /** Number of retrieved documents. */
    public int size() {
        return gradesByRank.length;
    }

    /** Number of judged documents with grade &gt;= {@code threshold} (trec_eval's {@code num_rel}). */
    public int numRelevant(int threshold) {
        int count = 0;
        for (int grade : judgedGrades) if (grade >= threshold) count++;
        return count;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof JudgedRanking that && Arrays.equals(gradesByRank, that.gradesByRank)
                && Arrays.equals(judgedGrades, that.judgedGrades);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(gradesByRank) + Arrays.hashCode(judgedGrades);
    }

    @Override
    public String toString() {
        return "JudgedRanking[" + Arrays.toString(gradesByRank) + ", judged=" + Arrays.toString(judgedGrades) + "]";
    }
}
