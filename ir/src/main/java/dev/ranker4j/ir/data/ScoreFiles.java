package dev.ranker4j.ir.data;

import dev.ranker4j.files.AtomicFiles;

import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The Reranker toolkit's score file ({@code qid TAB pid TAB score}, one line per scored pair, the order of the id
 * file) and its conversion to rankings. The toolkit's own helpers ({@code score_to_marco.py},
 * {@code score_to_tein.py}) sort each query's pairs by score; here ties are broken as trec_eval breaks them
 * (docid descending) so that the written ranks agree with any later trec_eval evaluation, and a pair scored twice is
 * an error instead of silently keeping the last score.
 */
public final class ScoreFiles {
    private ScoreFiles() {}

    /** Streams the pairs of a score file. Close the stream. */
    public static Stream<ScoredPair> read(Path file) {
        return TextLines.of(file).map(ScoreFiles::parse);
    }

    /** Parses one score line; like the toolkit, any white space separates the columns. */
    public static ScoredPair parse(Line line) {
        String[] fields = line.splitWhitespace("qid", "pid", "score");
        return new ScoredPair(fields[0], fields[1], line.parseDouble("score", fields[2]));
    }

    /** Writes a score file atomically. */
    public static void write(Path file, Iterable<ScoredPair> pairs) {
        AtomicFiles.writeTextUnchecked(file, out -> {
            for (ScoredPair pair : pairs) {
                out.write(Tsv.token(pair.queryId()) + "\t" + Tsv.token(pair.passageId()) + "\t" + pair.score() + "\n");
            }
        });
    }

    /** Score file to an MS MARCO run ({@code qid TAB pid TAB rank}), queries in first-appearance order. */
    public static void toMsMarcoRun(Path scoreFile, Path run) {
        MsMarcoFormat.writeRun(run, Run.readScoreFile(scoreFile).entries("msmarco"));
    }

    /** Score file to a TREC run ({@code qid Q0 pid rank score tag}), queries in first-appearance order. */
    public static void toTrecRun(Path scoreFile, Path run, String tag) {
        TrecFormat.writeRun(run, Run.readScoreFile(scoreFile).entries(tag));
    }
}
