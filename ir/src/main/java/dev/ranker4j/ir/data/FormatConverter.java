package dev.ranker4j.ir.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Conversions between the run, qrels and candidate formats, as offered by {@code ranker4j convert}. Runs are
 * re-ranked in trec_eval order on the way (score descending, ties by docid descending) and given ranks 1, 2, ...;
 * streams are used where the conversion does not need a whole query in hand.
 */
public final class FormatConverter {
    private FormatConverter() {}

    /** The formats {@code convert} knows, by their command-line names. */
    public enum Format {
        SCORES("scores", "Reranker toolkit score file: qid pid score"),
        TREC_RUN("trec-run", "TREC run: qid Q0 docid rank score tag"),
        MSMARCO_RUN("msmarco-run", "MS MARCO run: qid TAB pid TAB rank"),
        TREC_QRELS("trec-qrels", "TREC qrels: qid 0 docid grade"),
        BEIR_QRELS("beir-qrels", "BEIR qrels TSV with header: query-id corpus-id score"),
        RANKLLM("rankllm", "rank_llm candidates JSON: [{query, hits: [{content, qid, docid, rank, score}]}]"),
        MSMARCO_TOPK("msmarco-topk", "MS MARCO top-k TSV: qid TAB pid TAB query TAB passage");

        private final String cliName;
        private final String description;

        Format(String cliName, String description) {
            this.cliName = cliName;
            this.description = description;
        }

        /** The command-line name, e.g. {@code trec-run}. */
        public String cliName() {
            return cliName;
        }

        /** One line describing the layout. */
        public String description() {
            return description;
        }

        /** The format with this command-line name (case-insensitive). */
        public static Format parse(String name) {
            for (Format format : values()) {
                if (format.cliName.equals(name.toLowerCase(Locale.ROOT))) return format;
            }
            throw new IllegalArgumentException("unknown format '" + name + "'; known: " + names());
        }

        private static String names() {
            return String.join(", ", Stream.of(values()).map(Format::cliName).toList());
        }
    }

    /** The supported {@code from -> to} pairs, as {@code "from -> to"} strings. */
    public static List<String> supported() {
        List<String> pairs = new ArrayList<>();
        for (Format from : Format.values()) {
            for (Format to : Format.values()) if (canConvert(from, to)) pairs.add(from.cliName + " -> " + to.cliName);
        }
        return pairs;
    }

    /** Whether {@link #convert} handles this pair. */
    public static boolean canConvert(Format from, Format to) {
        return switch (from) {
            case SCORES, TREC_RUN, MSMARCO_RUN -> (to == Format.TREC_RUN || to == Format.MSMARCO_RUN) && to != from;
            case RANKLLM -> to == Format.TREC_RUN || to == Format.MSMARCO_RUN || to == Format.MSMARCO_TOPK;
            case TREC_QRELS -> to == Format.BEIR_QRELS;
            case BEIR_QRELS -> to == Format.TREC_QRELS;
            case MSMARCO_TOPK -> false;
        };
    }

    /**
     * Converts {@code in} (format {@code from}) to {@code out} (format {@code to}), writing atomically.
     *
     * @param tag the run tag written into TREC runs
     */
    public static void convert(Format from, Format to, Path in, Path out, String tag) {
        if (!canConvert(from, to)) {
            throw new IllegalArgumentException("cannot convert " + from.cliName + " to " + to.cliName + "; supported: "
                    + String.join(", ", supported()));
        }
        switch (from) {
            case SCORES, TREC_RUN, MSMARCO_RUN -> writeRun(to, out, readRun(from, in).entries(tag));
            case RANKLLM -> convertCandidates(in, to, out, tag);
            case TREC_QRELS -> {
                try (Stream<Judgment> judgments = TrecFormat.readQrels(in)) {
                    BeirFormat.writeQrels(out, judgments::iterator);
                }
            }
            case BEIR_QRELS -> {
                try (Stream<Judgment> judgments = BeirFormat.readQrels(in)) {
                    TrecFormat.writeQrels(out, judgments::iterator);
                }
            }
            case MSMARCO_TOPK -> throw new AssertionError("unreachable: canConvert refused it");
        }
    }

    private static Run readRun(Format format, Path in) {
        return switch (format) {
            case SCORES -> Run.readScoreFile(in);
            case TREC_RUN -> Run.readTrec(in);
            case MSMARCO_RUN -> Run.readMsMarco(in);
            default -> throw new IllegalArgumentException(format.cliName + " is not a run format");
        };
    }

    private static void writeRun(Format format, Path out, List<RunEntry> entries) {
        if (format == Format.TREC_RUN) TrecFormat.writeRun(out, entries);
        else MsMarcoFormat.writeRun(out, entries);
    }

    private static void convertCandidates(Path in, Format to, Path out, String tag) {
        if (to == Format.MSMARCO_TOPK) {
            try (Stream<RankedCandidates> queries = RankLlmFormat.read(in)) {
                Stream<TopKCandidate> lines = queries.flatMap(q -> q.hits().stream()
                        .map(h -> new TopKCandidate(q.query().id(), h.docId(), q.query().text(), h.content())));
                MsMarcoFormat.writeTopK(out, lines::iterator);
            }
            return;
        }
        List<RunEntry> entries = new ArrayList<>();
        try (Stream<RankedCandidates> queries = RankLlmFormat.read(in)) {
            queries.forEach(q -> q.hits().forEach(
                    h -> entries.add(new RunEntry(q.query().id(), h.docId(), h.rank(), h.score(), tag))));
        }
        writeRun(to, out, Run.of(entries).entries(tag));
    }
}
