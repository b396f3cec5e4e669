package dev.ranker4j.ir.data;

import dev.ranker4j.files.AtomicFiles;

import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * TREC runs and qrels, the formats trec_eval reads. Columns are separated by any white space.
 * <pre>
 *   run     qid Q0 docid rank score tag      e.g. 264014 Q0 5611210 1 15.7806 bm25
 *   qrels   qid iteration docid grade        e.g. 19335 0 1017759 2   (the iteration column is ignored; often "0" or "Q0")
 * </pre>
 * Readers stream; writers are atomic. Scores are written with {@link Double#toString(double)}, which round-trips
 * exactly.
 */
public final class TrecFormat {
    private static final String[] RUN_COLUMNS = {"qid", "Q0", "docid", "rank", "score", "tag"};
    private static final String[] QRELS_COLUMNS = {"qid", "iteration", "docid", "grade"};

    private TrecFormat() {}

    /** Streams the entries of a TREC run file in file order. Close the stream. */
    public static Stream<RunEntry> readRun(Path run) {
        return TextLines.of(run).map(TrecFormat::parseRunEntry);
    }

    /** Streams the judgments of a TREC qrels file in file order. Close the stream. */
    public static Stream<Judgment> readQrels(Path qrels) {
        return TextLines.of(qrels).map(TrecFormat::parseJudgment);
    }

    /** Parses one run line {@code qid Q0 docid rank score tag}. */
    public static RunEntry parseRunEntry(Line line) {
        String[] fields = line.splitWhitespace(RUN_COLUMNS);
        return new RunEntry(fields[0], fields[2], line.parseInt("rank", fields[3]), line.parseDouble("score", fields[4]),
                fields[5]);
    }

    /** Parses one qrels line {@code qid iteration docid grade}. */
    public static Judgment parseJudgment(Line line) {
        String[] fields = line.splitWhitespace(QRELS_COLUMNS);
        return new Judgment(fields[0], fields[2], line.parseInt("grade", fields[3]));
    }

    /** Writes a TREC run atomically, one line per entry in the given order. */
    public static void writeRun(Path run, Iterable<RunEntry> entries) {
        AtomicFiles.writeTextUnchecked(run, out -> {
            for (RunEntry entry : entries) out.write(formatRunEntry(entry));
        });
    }

    /** Writes TREC qrels atomically ({@code qid 0 docid grade}). */
    public static void writeQrels(Path qrels, Iterable<Judgment> judgments) {
        AtomicFiles.writeTextUnchecked(qrels, out -> {
            for (Judgment judgment : judgments) {
                out.write(Tsv.token(judgment.queryId()) + " 0 " + Tsv.token(judgment.docId()) + " " + judgment.grade()
                        + "\n");
            }
        });
    }

    /** One run line with its newline. */
    public static String formatRunEntry(RunEntry entry) {
        return Tsv.token(entry.queryId()) + " Q0 " + Tsv.token(entry.docId()) + " " + entry.rank() + " "
                + entry.score() + " " + Tsv.token(entry.tag()) + "\n";
    }
}
