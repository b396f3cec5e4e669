package dev.ranker4j.ir.data;

import java.util.Comparator;

/**
 * The order trec_eval ranks a query's results in (form_res_rels.c, {@code comp_sim_docno}): score descending, and
 * among equal scores docid descending by C {@code strcmp}. The rank column of a run file is ignored.
 *
 * <p>{@code strcmp} compares UTF-8 bytes, which orders like Unicode code points; Java's {@link String#compareTo}
 * compares UTF-16 units and disagrees for characters above U+FFFF, so ids are compared by code point here.
 */
public final class TrecEvalOrder {
    /** Score descending, then docid descending (code point order). */
    public static final Comparator<ScoredDoc> RANKING = TrecEvalOrder::compare;

    private TrecEvalOrder() {}

    /** Negative when {@code a} ranks before {@code b}. */
    public static int compare(ScoredDoc a, ScoredDoc b) {
        int byScore = Double.compare(b.score(), a.score());
        return byScore != 0 ? byScore : compareIds(b.docId(), a.docId());
    }

    /** Code-point (= UTF-8 byte, = {@code strcmp}) order of two ids. */
    public static int compareIds(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) return Integer.compare(ca, cb);
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
