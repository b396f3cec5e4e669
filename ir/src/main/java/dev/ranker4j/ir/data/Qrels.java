package dev.ranker4j.ir.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * All relevance judgments in memory, by query then document (evaluation looks them up per query). Queries keep their
 * first-appearance order.
 */
public final class Qrels {
    private final Map<String, Map<String, Integer>> grades;

    private Qrels(Map<String, Map<String, Integer>> grades) {
        this.grades = grades;
    }

    /**
     * Reads TREC qrels ({@code qid iter docid grade}) or a BEIR qrels TSV (recognised by its
     * {@code query-id corpus-id score} header). A document judged twice for one query is an error, as in trec_eval.
     */
    public static Qrels read(Path file) {
        boolean beir;
        try (Stream<Line> lines = TextLines.of(file)) {
            beir = lines.findFirst().map(line -> BeirFormat.isQrelsHeader(line.text())).orElse(false);
        }
        Map<String, Map<String, Integer>> grades = new LinkedHashMap<>();
        try (Stream<Line> lines = TextLines.of(file)) {
            lines.forEach(line -> {
                if (beir && BeirFormat.isQrelsHeader(line.text())) return;
                Judgment judgment = beir ? BeirFormat.parseJudgment(line) : TrecFormat.parseJudgment(line);
                if (!put(grades, judgment)) {
                    throw line.error("docid", "document " + judgment.docId() + " is judged twice for query "
                            + judgment.queryId());
                }
            });
        }
        if (grades.isEmpty()) throw new DataFormatException(file, 0, "contains no judgments");
        return new Qrels(grades);
    }

    /** Qrels from judgments in memory. */
    public static Qrels of(Iterable<Judgment> judgments) {
        Map<String, Map<String, Integer>> grades = new LinkedHashMap<>();
        for (Judgment judgment : judgments) {
            if (!put(grades, judgment)) {
                throw new IllegalArgumentException("document " + judgment.docId() + " is judged twice for query "
                        + judgment.queryId());
            }
        }
        return new Qrels(grades);
    }

    private static boolean put(Map<String, Map<String, Integer>> grades, Judgment judgment) {
        return grades.computeIfAbsent(judgment.queryId(), q -> new LinkedHashMap<>())
                .putIfAbsent(judgment.docId(), judgment.grade()) == null;
    }

    /** The judged queries in first-appearance order. */
    public Set<String> queryIds() {
        return Collections.unmodifiableSet(grades.keySet());
    }

    /** The query's judgments, document id to grade; empty when the query is not judged. */
    public Map<String, Integer> judgments(String queryId) {
        return Collections.unmodifiableMap(grades.getOrDefault(queryId, Map.of()));
    }

    /** Number of judged queries. */
    public int size() {
        return grades.size();
    }

    /** All judgments, query by query, in first-appearance order. */
    public List<Judgment> judgments() {
        List<Judgment> all = new ArrayList<>();
        grades.forEach((query, docs) -> docs.forEach((doc, grade) -> all.add(new Judgment(query, doc, grade))));
        return all;
    }
}
