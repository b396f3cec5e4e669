package dev.ranker4j.index;

import dev.ranker4j.ir.data.Run;
import dev.ranker4j.ir.data.ScoredDoc;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.FieldDoc;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopFieldDocs;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.util.BytesRef;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Searches a BM25 index as Anserini's {@code SearchCollection -bm25} does: the query text goes through the index's
 * own {@link EnglishAnalysis}; each distinct term becomes a {@code SHOULD} clause boosted by how often it occurs in the
 * query (Anserini's {@code BagOfWordsQueryGenerator}); documents are scored with Lucene's {@link BM25Similarity}
 * (default k1 = 0.9, b = 0.4, Anserini's defaults):
 *
 * <pre>
 *   score(q, d) = Σ_{t ∈ q} qtf(t) · idf(t) · tf(t,d) / (tf(t,d) + k1 · (1 − b + b · |d| / avgdl))
 *   idf(t)      = ln(1 + (N − df(t) + 0.5) / (df(t) + 0.5))
 * </pre>
 *
 * with |d| the document's length as Lucene's norms encode it (one byte, lossy) and avgdl the mean length over the
 * index. Equal scores are ranked by document id descending (trec_eval's order), also when choosing which tied
 * documents make the cut at rank k, so a written run evaluates exactly as it was ranked. (Anserini breaks ties by id
 * ascending and then perturbs the scores so trec_eval keeps that order; docs/RETRIEVAL.md shows the difference on
 * SciFact is nil.)
 */
public final class Bm25Searcher implements AutoCloseable {
    /** Anserini's default k1. */
    public static final float K1 = 0.9f;
    /** Anserini's default b. */
    public static final float B = 0.4f;

    /** Score descending, then document id descending (the trec_eval order). */
    private static final Sort TREC_EVAL_ORDER = new Sort(SortField.FIELD_SCORE,
            new SortField(Bm25Indexer.ID, SortField.Type.STRING, true));

    private final IndexDirectories.Opened index;
    private final Analyzer analyzer;
    private final IndexSearcher searcher;

    private Bm25Searcher(IndexDirectories.Opened index, float k1, float b) {
        this.index = index;
        this.analyzer = index.metadata().analysis().analyzer();
        this.searcher = new IndexSearcher(index.reader());
        this.searcher.setSimilarity(new BM25Similarity(k1, b));
    }

    /**
     * Opens the BM25 index in {@code dir}. With a non-null {@code expected} analysis, an index built with another one
     * is refused.
     */
    public static Bm25Searcher open(Path dir, boolean verify, EnglishAnalysis expected, float k1, float b) {
        IndexDirectories.Opened index = IndexDirectories.open(dir, verify);
        try {
            return over(index, expected, k1, b);
        } catch (RuntimeException e) {
            index.close();
            throw e;
        }
    }

    /** A searcher over an opened index (which it closes when closed). */
    public static Bm25Searcher over(IndexDirectories.Opened index, EnglishAnalysis expected, float k1, float b) {
        IndexMetadata metadata = index.metadata();
        if (metadata.kind() != IndexKind.BM25) {
            throw new IndexException(index.path(), "is a " + metadata.kind().label() + " index, not a BM25 index");
        }
        if (expected != null && !expected.equals(metadata.analysis())) {
            throw new IndexException(index.path(), "was built with analyzer " + metadata.analysis().id()
                    + ", not " + expected.id());
        }
        if (!(k1 >= 0) || !(b >= 0 && b <= 1)) {
            throw new IllegalArgumentException("BM25 needs k1 >= 0 and 0 <= b <= 1, got k1 = " + k1 + ", b = " + b);
        }
        return new Bm25Searcher(index, k1, b);
    }

    /** The index's metadata. */
    public IndexMetadata metadata() {
        return index.metadata();
    }

    /** The bag-of-words query of {@code text}: each distinct analysed term, boosted by its count. */
    public Query query(String text) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String term : EnglishAnalysis.terms(analyzer, Bm25Indexer.CONTENTS, text)) counts.merge(term, 1, Integer::sum);
        if (counts.size() > IndexSearcher.getMaxClauseCount()) IndexSearcher.setMaxClauseCount(counts.size());
        BooleanQuery.Builder query = new BooleanQuery.Builder();
        counts.forEach((term, count) -> query.add(new BoostQuery(new TermQuery(new Term(Bm25Indexer.CONTENTS, term)),
                count), BooleanClause.Occur.SHOULD));
        return query.build();
    }

    /** The top {@code k} documents for one query, best first. */
    public List<ScoredDoc> search(String queryId, String text, int k, boolean removeQuery) throws IOException {
        TopFieldDocs top = searcher.search(query(text), k, TREC_EVAL_ORDER, true);
        List<ScoredDoc> hits = new ArrayList<>(top.scoreDocs.length);
        for (ScoreDoc hit : top.scoreDocs) {
            String docId = ((BytesRef) ((FieldDoc) hit).fields[1]).utf8ToString();
            if (removeQuery && docId.equals(queryId)) continue;
            hits.add(new ScoredDoc(docId, hit.score));
        }
        return hits;
    }

    /** Searches every query (id to text, in map order) and returns the run. */
    public Run search(Map<String, String> queries, SearchSettings settings) {
        List<String> ids = new ArrayList<>(queries.keySet());
        List<List<ScoredDoc>> hits = ParallelQueries.map(ids.size(), settings.threads(), settings.progress(),
                i -> search(ids.get(i), queries.get(ids.get(i)), settings.k(), settings.removeQuery()));
        return Runs.of(ids, hits);
    }

    @Override
    public void close() {
        try {
            index.close();
        } catch (UncheckedIOException e) {
            throw new IndexException(index.path(), "closing failed: " + e.getMessage(), e);
        }
    }
}
