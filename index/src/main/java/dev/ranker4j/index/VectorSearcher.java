package dev.ranker4j.index;

import dev.ranker4j.ir.data.Run;
import dev.ranker4j.ir.data.ScoredDoc;
import dev.ranker4j.ir.retrieval.CorpusEncoder;
import dev.ranker4j.ir.retrieval.DenseVectors;
import dev.ranker4j.ir.retrieval.Progress;
import dev.ranker4j.ir.retrieval.Similarity;
import dev.ranker4j.ir.retrieval.TextEncoder;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Searches a vector index (flat, HNSW or int8 HNSW) with query vectors. An HNSW search keeps the {@code max(k, ef)}
 * best candidates while it walks the graph ({@code ef}, the search-time beam) and returns the top k of them; a flat
 * index is scanned whole (exact). Scores are the similarity itself (cosine or dot product), recovered from Lucene's
 * unit-interval score, as the index computed it: for int8 that is the quantized estimate.
 */
public final class VectorSearcher implements AutoCloseable {
    private final IndexDirectories.Opened index;
    private final IndexSearcher searcher;
    private final VectorSimilarityFunction function;

    private VectorSearcher(IndexDirectories.Opened index) {
        this.index = index;
        this.searcher = new IndexSearcher(index.reader());
        this.function = VectorIndexer.function(index.metadata().similarity());
    }

    /** Opens the vector index in {@code dir}. */
    public static VectorSearcher open(Path dir, boolean verify) {
        IndexDirectories.Opened index = IndexDirectories.open(dir, verify);
        try {
            return over(index);
        } catch (RuntimeException e) {
            index.close();
            throw e;
        }
    }

    /** A searcher over an opened index (which it closes when closed). */
    public static VectorSearcher over(IndexDirectories.Opened index) {
        if (!index.metadata().kind().isVector()) {
            throw new IndexException(index.path(), "is a " + index.metadata().kind().label()
                    + " index; it has no vectors to search with query vectors");
        }
        return new VectorSearcher(index);
    }

    /** The index's metadata. */
    public IndexMetadata metadata() {
        return index.metadata();
    }

    /**
     * The query vectors as the index compares them: the dimension must be the index's, and a cosine index needs unit
     * vectors (normalized copies when the file is not flagged normalized).
     *
     * @param source the file the vectors came from, for the error message
     */
    public DenseVectors prepare(DenseVectors queries, Path source) {
        int dimension = index.metadata().dimension();
        if (queries.dimension() != dimension) {
            throw new IllegalArgumentException(source + ": dimension " + queries.dimension() + " differs from the"
                    + " index's " + dimension + " (" + index.path() + ")");
        }
        if (index.metadata().similarity() != Similarity.COSINE || queries.normalized()) return queries;
        float[] data = queries.data().clone();
        for (int i = 0; i < queries.size(); i++) {
            float[] row = queries.vector(i);
            DenseVectors.normalizeInPlace(row);
            System.arraycopy(row, 0, data, i * dimension, dimension);
        }
        return new DenseVectors(queries.ids(), dimension, true, data);
    }

    /** The top {@code k} documents for one prepared query vector, best first, searching with beam {@code ef}. */
    public List<ScoredDoc> search(String queryId, float[] query, int k, int ef, boolean removeQuery)
            throws IOException {
        int candidates = Math.max(k, ef);
        TopDocs top = searcher.search(new KnnFloatVectorQuery(VectorIndexer.VECTOR, query, candidates), candidates);
        StoredFields stored = searcher.storedFields();
        List<ScoredDoc> hits = new ArrayList<>(Math.min(k, top.scoreDocs.length));
        Set<String> idField = Set.of(VectorIndexer.ID);
        for (int i = 0; i < Math.min(k, top.scoreDocs.length); i++) {
            ScoreDoc hit = top.scoreDocs[i];
            String docId = stored.document(hit.doc, idField).get(VectorIndexer.ID);
            if (removeQuery && docId.equals(queryId)) continue;
            hits.add(new ScoredDoc(docId, similarity(hit.score)));
        }
        return hits;
    }

    /** Lucene's unit-interval score back to the similarity it was computed from. */
    double similarity(float luceneScore) {
        return switch (function) {
            case DOT_PRODUCT -> 2.0 * luceneScore - 1.0;
            case MAXIMUM_INNER_PRODUCT -> luceneScore < 1 ? 1.0 - 1.0 / luceneScore : luceneScore - 1.0;
            default -> luceneScore;
        };
    }

    /**
     * Searches every query vector (read from {@code source}) with beam {@code ef}.
     */
    public Run search(DenseVectors queries, Path source, int ef, SearchSettings settings) {
        DenseVectors prepared = prepare(queries, source);
        List<List<ScoredDoc>> hits = ParallelQueries.map(prepared.size(), settings.threads(), settings.progress(),
                i -> search(prepared.ids().get(i), prepared.vector(i), settings.k(), ef, settings.removeQuery()));
        return Runs.of(prepared.ids(), hits);
    }

    /**
     * Encodes the query texts with {@code encoder} exactly as {@code ranker4j encode --kind queries} does (longest
     * first in batches of {@code batchSize}, at most {@code maxLength} tokens, normalized for a cosine index, as
     * {@code --normalize} does), then searches them.
     */
    public Run search(Map<String, String> queries, TextEncoder encoder, int maxLength, int batchSize, int ef,
                      SearchSettings settings, Progress encoding) {
        boolean normalize = index.metadata().similarity() == Similarity.COSINE;
        DenseVectors vectors = new CorpusEncoder(encoder, maxLength, batchSize, Integer.MAX_VALUE, normalize)
                .encode(new ArrayList<>(queries.keySet()), new ArrayList<>(queries.values()), null, encoding);
        return search(vectors, Path.of("the encoded queries"), ef, settings);
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
