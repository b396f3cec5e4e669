package dev.ranker4j.index;

import dev.ranker4j.ir.retrieval.DenseVectors;
import dev.ranker4j.ir.retrieval.Progress;
import dev.ranker4j.ir.retrieval.Similarity;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.store.FSDirectory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Builds a vector index from a vector file's {@link DenseVectors}: one Lucene document per vector, its id in the
 * {@value #ID} field (stored and indexed verbatim) and the vector in the {@value #VECTOR} field, in the format of the
 * index kind ({@link VectorFormats}), merged into one segment (one graph) at the end.
 *
 * <p>Cosine indexes hold unit vectors compared by dot product (Lucene's {@code DOT_PRODUCT}, the fastest function);
 * vectors not flagged normalized are normalized on the way in, exactly as {@link DenseVectors#normalizeInPlace} does,
 * so scores equal {@code ExactSearch}'s cosine up to float rounding. Dot indexes use Lucene's
 * {@code MAXIMUM_INNER_PRODUCT}.
 *
 * <p>Threads: with one thread the documents are added in file order into one segment and the graph is built on the
 * way, which is deterministic (Lucene seeds the HNSW level draws). With more, documents are added from all of them
 * and the segments are merged by as many graph-building workers; faster, but the graph (and so an approximate
 * search's results) varies from run to run.
 */
public final class VectorIndexer {
    /** The id field. */
    public static final String ID = "id";
    /** The vector field. */
    public static final String VECTOR = "vector";

    private static final double RAM_BUFFER_MB = 1024;
    private static final int PROGRESS_STEP = 1024;

    /**
     * @param kind           flat, hnsw or hnsw-int8
     * @param similarity     cosine or dot
     * @param m              HNSW maximum connections per node (Lucene's and Anserini's default: 16)
     * @param efConstruction HNSW candidate queue while building (Lucene's default: 100)
     * @param threads        indexing threads (1: deterministic)
     */
    public record Settings(IndexKind kind, Similarity similarity, int m, int efConstruction, int threads) {
        public Settings {
            if (!kind.isVector()) throw new IllegalArgumentException(kind.label() + " is not a vector index kind");
            if (m < 1 || m > 512) throw new IllegalArgumentException("M must be in [1, 512], got " + m);
            if (efConstruction < 1 || efConstruction > 3200) {
                throw new IllegalArgumentException("efConstruction must be in [1, 3200], got " + efConstruction);
            }
            if (threads < 1) throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
    }

    private final Settings settings;

    public VectorIndexer(Settings settings) {
        this.settings = settings;
    }

    /** The Lucene function of a similarity over the vectors an index stores. */
    static VectorSimilarityFunction function(Similarity similarity) {
        return similarity == Similarity.COSINE ? VectorSimilarityFunction.DOT_PRODUCT
                : VectorSimilarityFunction.MAXIMUM_INNER_PRODUCT;
    }

    /** Indexes {@code vectors} (read from the file named {@code source}) into {@code output}, atomically. */
    public IndexStatistics index(DenseVectors vectors, String source, Path output, Progress progress) {
        if (vectors.dimension() > VectorFormats.MAX_DIMENSIONS) {
            throw new IllegalArgumentException(source + ": dimension " + vectors.dimension() + " is above the "
                    + VectorFormats.MAX_DIMENSIONS + " an index accepts");
        }
        long start = System.nanoTime();
        boolean graph = settings.kind() != IndexKind.FLAT;
        IndexMetadata metadata = IndexMetadata.vectors(settings.kind(), settings.similarity(), vectors.dimension(),
                graph ? settings.m() : 0, graph ? settings.efConstruction() : 0, source);
        return IndexDirectories.writeAtomically(output, dir -> {
            int threads = settings.threads();
            ExecutorService mergeExecutor = threads > 1 ? Executors.newFixedThreadPool(threads, daemon("hnsw-merge"))
                    : null;
            try {
                IndexWriterConfig config = new IndexWriterConfig()
                        .setOpenMode(IndexWriterConfig.OpenMode.CREATE)
                        .setRAMBufferSizeMB(RAM_BUFFER_MB)
                        .setCodec(VectorFormats.codec(VectorFormats.format(settings.kind(), settings.m(),
                                settings.efConstruction(), threads, mergeExecutor)));
                try (FSDirectory directory = FSDirectory.open(dir);
                     IndexWriter writer = new IndexWriter(directory, config)) {
                    addAll(vectors, writer, progress);
                    writer.forceMerge(1);
                    writer.setLiveCommitData(metadata.toUserData().entrySet());
                    writer.commit();
                }
            } finally {
                if (mergeExecutor != null) mergeExecutor.shutdownNow();
            }
            try (FSDirectory directory = FSDirectory.open(dir); DirectoryReader reader = DirectoryReader.open(directory)) {
                return new IndexStatistics(reader.numDocs(), 0, 0, 0, vectors.dimension(), reader.leaves().size(),
                        (System.nanoTime() - start) / 1e9);
            }
        });
    }

    private void addAll(DenseVectors vectors, IndexWriter writer, Progress progress) throws IOException {
        int threads = Math.min(settings.threads(), Math.max(1, vectors.size() / PROGRESS_STEP));
        if (threads == 1) {
            addRange(vectors, 0, vectors.size(), writer, progress);
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads, daemon("vector-indexer"));
        try {
            List<Future<?>> parts = new ArrayList<>();
            int size = vectors.size();
            for (int t = 0; t < threads; t++) {
                int from = (int) ((long) size * t / threads), to = (int) ((long) size * (t + 1) / threads);
                parts.add(pool.submit(() -> {
                    addRange(vectors, from, to, writer, progress);
                    return null;
                }));
            }
            for (Future<?> part : parts) part.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while indexing", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) throw io;
            if (e.getCause() instanceof RuntimeException runtime) throw runtime;
            if (e.getCause() instanceof Error error) throw error;
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private void addRange(DenseVectors vectors, int from, int to, IndexWriter writer, Progress progress)
            throws IOException {
        VectorSimilarityFunction function = function(settings.similarity());
        boolean normalize = settings.similarity() == Similarity.COSINE && !vectors.normalized();
        int pending = 0;
        for (int i = from; i < to; i++) {
            float[] vector = vectors.vector(i);
            if (normalize) DenseVectors.normalizeInPlace(vector);
            org.apache.lucene.document.Document document = new org.apache.lucene.document.Document();
            document.add(new StringField(ID, vectors.ids().get(i), Field.Store.YES));
            document.add(new KnnFloatVectorField(VECTOR, vector, function));
            writer.addDocument(document);
            if (++pending == PROGRESS_STEP) {
                synchronized (progress) {
                    progress.advance(pending);
                }
                pending = 0;
            }
        }
        synchronized (progress) {
            progress.advance(pending);
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
