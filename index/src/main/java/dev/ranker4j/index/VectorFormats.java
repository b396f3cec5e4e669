package dev.ranker4j.index;

import org.apache.lucene.codecs.Codec;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.KnnVectorsReader;
import org.apache.lucene.codecs.KnnVectorsWriter;
import org.apache.lucene.codecs.lucene104.Lucene104Codec;
import org.apache.lucene.codecs.lucene104.Lucene104HnswScalarQuantizedVectorsFormat;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.index.SegmentReadState;
import org.apache.lucene.index.SegmentWriteState;
import org.apache.lucene.util.quantization.QuantizedByteVectorValues.ScalarEncoding;

import java.io.IOException;
import java.util.concurrent.ExecutorService;

/**
 * The Lucene vector formats of the index kinds, with the dimension limit raised to {@link #MAX_DIMENSIONS}.
 *
 * <p>Lucene refuses vectors of more than 1024 floats by default; the limit is asked of the format only when a
 * document is added, so an index built through {@link #codec} with a wrapper that answers 4096 is read back by
 * Lucene's own formats. The wrapper takes its delegate's name, which is what a segment records, so reading needs no
 * service registration (only {@link ExactFlatVectorsFormat}, a format of our own, has one).
 */
public final class VectorFormats {
    /** The largest vector dimension an index accepts. */
    public static final int MAX_DIMENSIONS = 4096;

    private VectorFormats() {}

    /**
     * The format of an index kind.
     *
     * @param m               HNSW maximum connections per node
     * @param efConstruction  HNSW candidate queue while building
     * @param mergeWorkers    threads that build the merged graph (1: deterministic)
     * @param mergeExecutor   their executor; null when mergeWorkers is 1
     */
    public static KnnVectorsFormat format(IndexKind kind, int m, int efConstruction, int mergeWorkers,
                                          ExecutorService mergeExecutor) {
        return switch (kind) {
            case FLAT -> new ExactFlatVectorsFormat();
            case HNSW -> new HighDimensions(new Lucene99HnswVectorsFormat(m, efConstruction, mergeWorkers,
                    mergeExecutor));
            case HNSW_INT8 -> new HighDimensions(new Lucene104HnswScalarQuantizedVectorsFormat(
                    ScalarEncoding.UNSIGNED_BYTE, m, efConstruction, mergeWorkers, mergeExecutor));
            case BM25 -> throw new IllegalArgumentException("a BM25 index has no vector format");
        };
    }

    /** Lucene's current codec with {@code vectors} for every vector field. */
    public static Codec codec(KnnVectorsFormat vectors) {
        return new Lucene104Codec() {
            @Override
            public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
                return vectors;
            }
        };
    }

    /** A format that behaves as its delegate, under the delegate's name, and accepts up to 4096 dimensions. */
    private static final class HighDimensions extends KnnVectorsFormat {
        private final KnnVectorsFormat delegate;

        HighDimensions(KnnVectorsFormat delegate) {
            super(delegate.getName());
            this.delegate = delegate;
        }

        @Override
        public KnnVectorsWriter fieldsWriter(SegmentWriteState state) throws IOException {
            return delegate.fieldsWriter(state);
        }

        @Override
        public KnnVectorsReader fieldsReader(SegmentReadState state) throws IOException {
            return delegate.fieldsReader(state);
        }

        @Override
        public int getMaxDimensions(String fieldName) {
            return MAX_DIMENSIONS;
        }

        @Override
        public String toString() {
            return delegate + " (max dimensions " + MAX_DIMENSIONS + ")";
        }
    }
}
