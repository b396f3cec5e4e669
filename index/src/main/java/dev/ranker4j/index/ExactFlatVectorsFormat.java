package dev.ranker4j.index;

import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.KnnVectorsReader;
import org.apache.lucene.codecs.KnnVectorsWriter;
import org.apache.lucene.codecs.hnsw.FlatVectorScorerUtil;
import org.apache.lucene.codecs.hnsw.FlatVectorsReader;
import org.apache.lucene.codecs.lucene99.Lucene99FlatVectorsFormat;
import org.apache.lucene.index.ByteVectorValues;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.SegmentReadState;
import org.apache.lucene.index.SegmentWriteState;
import org.apache.lucene.search.AcceptDocs;
import org.apache.lucene.search.KnnCollector;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.hnsw.RandomVectorScorer;

import java.io.IOException;
import java.util.Map;

/**
 * Vectors stored flat (Lucene99's flat vector files, no graph) and searched exhaustively: every vector of a segment
 * is scored against the query, so a search is exact. Lucene's own flat reader does not search (it serves the HNSW
 * formats); this format adds the scan. Up to {@link VectorFormats#MAX_DIMENSIONS} dimensions.
 *
 * <p>Registered as a Lucene service ({@code META-INF/services/org.apache.lucene.codecs.KnnVectorsFormat}) under
 * {@link #NAME}, which segments record, so Lucene finds it again when it opens the index.
 */
public final class ExactFlatVectorsFormat extends KnnVectorsFormat {
    /** The name segments record. */
    public static final String NAME = "Ranker4jExactFlatVectorsFormat";

    private final Lucene99FlatVectorsFormat flat =
            new Lucene99FlatVectorsFormat(FlatVectorScorerUtil.getLucene99FlatVectorsScorer());

    /** The service loader's constructor. */
    public ExactFlatVectorsFormat() {
        super(NAME);
    }

    @Override
    public KnnVectorsWriter fieldsWriter(SegmentWriteState state) throws IOException {
        return flat.fieldsWriter(state);
    }

    @Override
    public KnnVectorsReader fieldsReader(SegmentReadState state) throws IOException {
        return new ScanningReader(flat.fieldsReader(state));
    }

    @Override
    public int getMaxDimensions(String fieldName) {
        return VectorFormats.MAX_DIMENSIONS;
    }

    /** Lucene's flat reader plus a search that scores every vector. */
    private static final class ScanningReader extends KnnVectorsReader {
        private final FlatVectorsReader flat;

        ScanningReader(FlatVectorsReader flat) {
            this.flat = flat;
        }

        @Override
        public void search(String field, float[] target, KnnCollector collector, AcceptDocs acceptDocs)
                throws IOException {
            scan(flat.getRandomVectorScorer(field, target), collector, acceptDocs);
        }

        @Override
        public void search(String field, byte[] target, KnnCollector collector, AcceptDocs acceptDocs)
                throws IOException {
            scan(flat.getRandomVectorScorer(field, target), collector, acceptDocs);
        }

        private static void scan(RandomVectorScorer scorer, KnnCollector collector, AcceptDocs acceptDocs)
                throws IOException {
            if (scorer == null) return;
            Bits accepted = scorer.getAcceptOrds(acceptDocs == null ? null : acceptDocs.bits());
            int count = scorer.maxOrd();
            for (int ord = 0; ord < count; ord++) {
                if (accepted == null || accepted.get(ord)) collector.collect(scorer.ordToDoc(ord), scorer.score(ord));
            }
            collector.incVisitedCount(count);
        }

        @Override
        public void checkIntegrity() throws IOException {
            flat.checkIntegrity();
        }

        @Override
        public FloatVectorValues getFloatVectorValues(String field) throws IOException {
            return flat.getFloatVectorValues(field);
        }

        @Override
        public ByteVectorValues getByteVectorValues(String field) throws IOException {
            return flat.getByteVectorValues(field);
        }

        @Override
        public Map<String, Long> getOffHeapByteSize(FieldInfo fieldInfo) {
            return flat.getOffHeapByteSize(fieldInfo);
        }

        @Override
        public void close() throws IOException {
            flat.close();
        }
    }
}
