package dev.ranker4j.ir.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A whole run in memory, grouped by query: what evaluation and re-ranking need (random access by query is intrinsic
 * to both). Each query's documents are kept in {@link TrecEvalOrder} (score descending, ties by docid descending), so
 * {@link #ranking(String)} is the ranking trec_eval would evaluate. Queries keep their first-appearance order.
 */
public final class Run {
    private final Map<String, List<ScoredDoc>> rankings;

    private Run(Map<String, List<ScoredDoc>> rankings) {
        this.rankings = rankings;
    }

    /** Reads a TREC run file; a document listed twice for one query is an error (trec_eval refuses it too). */
    public static Run readTrec(Path file) {
        try (Stream<Line> lines = TextLines.of(file)) {
            return collect(lines, TrecFormat::parseRunEntry);
        }
    }

    /** Reads an MS MARCO run ({@code qid TAB pid TAB rank}); see {@link MsMarcoFormat#readRun}. */
    public static Run readMsMarco(Path file) {
        try (Stream<Line> lines = TextLines.of(file)) {
            return collect(lines, MsMarcoFormat::readRunLine);
        }
    }

    /** Reads a Reranker-toolkit score file ({@code qid TAB pid TAB score}). */
    public static Run readScoreFile(Path file) {
        try (Stream<Line> lines = TextLines.of(file)) {
            return collect(lines, line -> {
                ScoredPair pair = ScoreFiles.parse(line);
                return new RunEntry(pair.queryId(), pair.passageId(), 0, pair.score(), "scores");
            });
        }
    }

    private static Run collect(Stream<Line> lines, java.util.function.Function<Line, RunEntry> parser) {
        Builder builder = new Builder();
        lines.forEach(line -> {
            RunEntry entry = parser.apply(line);
            if (!builder.add(entry.queryId(), entry.docId(), entry.score())) {
                throw line.error("docid", "document " + entry.docId() + " is listed twice for query "
                        + entry.queryId());
            }
        });
        return builder.build();
    }

    /** A run from entries already in memory (their rank fields are ignored). */
    public static Run of(Iterable<RunEntry> entries) {
        Builder builder = new Builder();
        for (RunEntry entry : entries) {
            if (!builder.add(entry.queryId(), entry.docId(), entry.score())) {
                throw new IllegalArgumentException("document " + entry.docId() + " is listed twice for query "
                        + entry.queryId());
            }
        }
        return builder.build();
    }

    /** The query ids in first-appearance order. */
    public Set<String> queryIds() {
        return Collections.unmodifiableSet(rankings.keySet());
    }

    /** The query's ranking in trec_eval order; empty when the run has no results for it. */
    public List<ScoredDoc> ranking(String queryId) {
        return rankings.getOrDefault(queryId, List.of());
    }

    /** Whether the run has results for the query. */
    public boolean contains(String queryId) {
        return rankings.containsKey(queryId);
    }

    /** The rankings of the given queries only (in this run's order); the others are dropped. */
    public Run restrictedTo(Set<String> queryIds) {
        Map<String, List<ScoredDoc>> kept = new LinkedHashMap<>();
        rankings.forEach((query, docs) -> {
            if (queryIds.contains(query)) kept.put(query, docs);
        });
        return new Run(kept);
    }

    /** Number of queries. */
    public int size() {
        return rankings.size();
    }

    /**
     * The run as entries, query by query, with ranks 1, 2, ... assigned in trec_eval order, so the written rank
     * column agrees with how trec_eval will rank the scores.
     */
    public List<RunEntry> entries(String tag) {
        List<RunEntry> entries = new ArrayList<>();
        for (var query : rankings.entrySet()) {
            int rank = 0;
            for (ScoredDoc doc : query.getValue()) {
                entries.add(new RunEntry(query.getKey(), doc.docId(), ++rank, doc.score(), tag));
            }
        }
        return entries;
    }

    /** Collects (query, document, score) triples, refusing duplicates. */
    public static final class Builder {
        private final Map<String, List<ScoredDoc>> rankings = new LinkedHashMap<>();
        private final Map<String, Set<String>> seen = new LinkedHashMap<>();

        /** Adds a scored document; returns false (and adds nothing) if the query already has this document. */
        public boolean add(String queryId, String docId, double score) {
            if (!seen.computeIfAbsent(queryId, q -> new HashSet<>()).add(docId)) return false;
            rankings.computeIfAbsent(queryId, q -> new ArrayList<>()).add(new ScoredDoc(docId, score));
            return true;
        }

        /** The run, each query sorted in trec_eval order. */
        public Run build() {
            Map<String, List<ScoredDoc>> sorted = new LinkedHashMap<>();
            rankings.forEach((query, docs) -> {
                List<ScoredDoc> copy = new ArrayList<>(docs);
                copy.sort(TrecEvalOrder.RANKING);
                sorted.put(query, List.copyOf(copy));
            });
            return new Run(sorted);
        }
    }
}
