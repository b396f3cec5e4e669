package dev.ranker4j.ir.data;

import dev.ranker4j.files.AtomicFiles;

import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The MS MARCO passage-ranking TSV files (Nguyen et al. 2016; Bajaj et al. 2018), all tab-separated, no header:
 * <pre>
 *   collection.tsv        pid TAB passage
 *   queries.*.tsv         qid TAB query
 *   triples.train.*.tsv   query TAB positive passage TAB negative passage
 *   top1000.*.tsv         qid TAB pid TAB query TAB passage
 *   run (MRR@10 script)   qid TAB pid TAB rank
 * </pre>
 * Readers stream; writers are atomic and refuse texts containing a tab or line break (they would corrupt the file).
 */
public final class MsMarcoFormat {
    private MsMarcoFormat() {}

    /** Streams {@code pid TAB passage} lines as documents with an empty title. Close the stream. */
    public static Stream<Document> readCollection(Path collection) {
        return TextLines.of(collection).map(line -> {
            String[] fields = line.splitTabs("pid", "passage");
            return new Document(line.requireNonEmpty("pid", fields[0]), "", fields[1]);
        });
    }

    /** Streams {@code qid TAB query} lines. Close the stream. */
    public static Stream<Query> readQueries(Path queries) {
        return TextLines.of(queries).map(line -> {
            String[] fields = line.splitTabs("qid", "query");
            return new Query(line.requireNonEmpty("qid", fields[0]), fields[1]);
        });
    }

    /** Streams {@code query TAB positive TAB negative} triples. Close the stream. */
    public static Stream<Triple> readTriples(Path triples) {
        return TextLines.of(triples).map(line -> {
            String[] fields = line.splitTabs("query", "positive", "negative");
            return new Triple(fields[0], fields[1], fields[2]);
        });
    }

    /** Streams {@code qid TAB pid TAB query TAB passage} lines. Close the stream. */
    public static Stream<TopKCandidate> readTopK(Path topK) {
        return TextLines.of(topK).map(line -> {
            String[] fields = line.splitTabs("qid", "pid", "query", "passage");
            return new TopKCandidate(line.requireId("qid", fields[0]), line.requireId("pid", fields[1]),
                    fields[2], fields[3]);
        });
    }

    /**
     * Streams an MS MARCO run {@code qid TAB pid TAB rank}. The file has no scores, so each entry gets score
     * {@code -rank}: ordering by score then reproduces the file's ranks, which is what evaluation needs.
     */
    public static Stream<RunEntry> readRun(Path run) {
        return TextLines.of(run).map(MsMarcoFormat::readRunLine);
    }

    /** Parses one {@code qid TAB pid TAB rank} line (score {@code -rank}). */
    public static RunEntry readRunLine(Line line) {
        String[] fields = line.splitTabs("qid", "pid", "rank");
        int rank = line.parseInt("rank", fields[2]);
        if (rank < 1) throw line.error("rank", "must be at least 1, found " + rank);
        return new RunEntry(line.requireId("qid", fields[0]), line.requireId("pid", fields[1]), rank,
                -rank, "msmarco");
    }

    /** Writes {@code pid TAB passage} lines (the document's {@link Document#titleAndText()}). */
    public static void writeCollection(Path collection, Iterable<Document> documents) {
        AtomicFiles.writeTextUnchecked(collection, out -> {
            for (Document d : documents) out.write(Tsv.field(d.id()) + "\t" + Tsv.field(d.titleAndText()) + "\n");
        });
    }

    /** Writes {@code qid TAB query} lines. */
    public static void writeQueries(Path queries, Iterable<Query> items) {
        AtomicFiles.writeTextUnchecked(queries, out -> {
            for (Query q : items) out.write(Tsv.field(q.id()) + "\t" + Tsv.field(q.text()) + "\n");
        });
    }

    /** Writes {@code query TAB positive TAB negative} lines. */
    public static void writeTriples(Path triples, Iterable<Triple> items) {
        AtomicFiles.writeTextUnchecked(triples, out -> {
            for (Triple t : items) {
                out.write(Tsv.field(t.query()) + "\t" + Tsv.field(t.positive()) + "\t" + Tsv.field(t.negative()) + "\n");
            }
        });
    }

    /** Writes {@code qid TAB pid TAB query TAB passage} lines. */
    public static void writeTopK(Path topK, Iterable<TopKCandidate> items) {
        AtomicFiles.writeTextUnchecked(topK, out -> {
            for (TopKCandidate c : items) {
                out.write(Tsv.field(c.queryId()) + "\t" + Tsv.field(c.passageId()) + "\t" + Tsv.field(c.query()) + "\t"
                        + Tsv.field(c.passage()) + "\n");
            }
        });
    }

    /** Writes {@code qid TAB pid TAB rank} lines, the input of the official MS MARCO MRR@10 script. */
    public static void writeRun(Path run, Iterable<RunEntry> entries) {
        AtomicFiles.writeTextUnchecked(run, out -> {
            for (RunEntry e : entries) {
                out.write(Tsv.field(e.queryId()) + "\t" + Tsv.field(e.docId()) + "\t" + e.rank() + "\n");
            }
        });
    }
}
