package dev.ranker4j.index;

import dev.ranker4j.ir.data.Run;
import dev.ranker4j.ir.data.ScoredDoc;
import dev.ranker4j.ir.data.TrecEvalOrder;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.similarities.BM25Similarity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
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

    /**
     * The top {@code k} documents for one query, best first.
     *
     * <p>Lucene's fastest collector (block-max WAND) breaks ties by its internal document number, which says nothing
     * about ids. So it is asked for somewhat more than k hits, and again for twice as many while the last of them
     * still scores as the k-th: then every document scoring at least the k-th is at hand (a document scoring above
     * the collector's final minimum was never skipped), and sorting them in trec_eval order gives the exact top k.
     * Seven times faster on SciFact than a sort by score and id inside Lucene.
     */
    public List<ScoredDoc> search(String queryId, String text, int k, boolean removeQuery) throws IOException {
        Query query = query(text);
        int n = (int) Math.min(Integer.MAX_VALUE - 16, k + Math.max(16L, k / 4));
        ScoreDoc[] top;
        while (true) {
            top = searcher.search(query, n).scoreDocs;
            if (top.length < n || top[n - 1].score < top[k - 1].score) break;
            n = (int) Math.min(Integer.MAX_VALUE - 16, 2L * n);
        }
        List<ScoredDoc> ranked = withIds(top);
        ranked.sort(TrecEvalOrder.RANKING);
        List<ScoredDoc> hits = new ArrayList<>(Math.min(k, ranked.size()));
        for (ScoredDoc hit : ranked.subList(0, Math.min(k, ranked.size()))) {
            if (!(removeQuery && hit.docId().equals(queryId))) hits.add(hit);
        }
        return hits;
    }

    /** The hits with their ids, read from the id doc values leaf by leaf in document order. */
    private List<ScoredDoc> withIds(ScoreDoc[] top) throws IOException {
        ScoreDoc[] byDocument = top.clone();
        Arrays.sort(byDocument, Comparator.comparingInt(hit -> hit.doc));
        List<LeafReaderContext> leaves = index.reader().leaves();
        List<ScoredDoc> hits = new ArrayList<>(top.length);
        int leafIndex = -1;
        LeafReaderContext leaf = null;
        SortedDocValues ids = null;
        for (ScoreDoc hit : byDocument) {
            int in = ReaderUtil.subIndex(hit.doc, leaves);
            if (in != leafIndex) {
                leafIndex = in;
                leaf = leaves.get(in);
                ids = DocValues.getSorted(leaf.reader(), Bm25Indexer.ID);
            }
            if (!ids.advanceExact(hit.doc - leaf.docBase)) {
                throw new IndexException(index.path(), "document " + hit.doc + " has no id");
            }
            hits.add(new ScoredDoc(ids.lookupOrd(ids.ordValue()).utf8ToString(), hit.score));
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
