package dev.ranker4j.training.train;

import dev.ranker4j.ir.data.BeirFormat;
import dev.ranker4j.ir.data.Document;
import dev.ranker4j.ir.data.MsMarcoFormat;
import dev.ranker4j.ir.data.Qrels;
import dev.ranker4j.ir.data.Query;
import dev.ranker4j.ir.data.Triple;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Training queries as text, each with its positive passages and any given (hard) negatives, plus a pool of passages
 * from which further negatives are drawn. The simple samplers of {@link TextBatches} read it; the retrieval module's
 * samplers (localized negatives, TAS-Balanced) produce richer groups of the same shape.
 *
 * @param groups one per query, in file order
 * @param pool   every passage text seen (for random negatives)
 */
public record TextGroups(List<Group> groups, List<String> pool) {

    /** A query with positives and hard negatives. */
    public record Group(String query, List<String> positives, List<String> negatives) {}

    public TextGroups {
        groups = List.copyOf(groups);
        pool = List.copyOf(pool);
        if (groups.isEmpty()) throw new IllegalArgumentException("no training queries with a positive passage");
    }

    /** MS MARCO triples (query, positive, negative), grouped by query text. */
    public static TextGroups fromTriples(Path triples) {
        Map<String, Group> byQuery = new LinkedHashMap<>();
        List<String> pool = new ArrayList<>();
        try (Stream<Triple> lines = MsMarcoFormat.readTriples(triples)) {
            lines.forEach(t -> {
                Group g = byQuery.computeIfAbsent(t.query(), q -> new Group(q, new ArrayList<>(), new ArrayList<>()));
                if (!g.positives().contains(t.positive())) g.positives().add(t.positive());
                g.negatives().add(t.negative());
                pool.add(t.positive());
                pool.add(t.negative());
            });
        }
        return new TextGroups(new ArrayList<>(byQuery.values()), pool);
    }

    /**
     * A BEIR directory's split: positives are the judged-relevant documents (grade &gt; 0, text = title + " " + text);
     * negatives come from the pool (the whole corpus). At most {@code maxQueries} queries (0: all).
     */
    public static TextGroups fromBeir(Path directory, String split, int maxQueries) {
        Qrels qrels = Qrels.read(BeirFormat.qrelsFile(directory, split));
        Map<String, String> corpus;
        try (Stream<Document> docs = BeirFormat.readCorpus(BeirFormat.corpusFile(directory))) {
            corpus = docs.collect(Collectors.toMap(Document::id, Document::titleAndText, (a, b) -> a, LinkedHashMap::new));
        }
        Map<String, String> queries;
        try (Stream<Query> qs = BeirFormat.readQueries(BeirFormat.queriesFile(directory))) {
            queries = qs.collect(Collectors.toMap(Query::id, Query::text, (a, b) -> a));
        }
        List<Group> groups = new ArrayList<>();
        for (String qid : qrels.queryIds()) {
            if (maxQueries > 0 && groups.size() == maxQueries) break;
            String text = queries.get(qid);
            if (text == null) continue;
            List<String> positives = new ArrayList<>();
            qrels.judgments(qid).forEach((docId, grade) -> {
                if (grade > 0 && corpus.containsKey(docId)) positives.add(corpus.get(docId));
            });
            if (!positives.isEmpty()) groups.add(new Group(text, positives, List.of()));
        }
        return new TextGroups(groups, new ArrayList<>(corpus.values()));
    }
}
