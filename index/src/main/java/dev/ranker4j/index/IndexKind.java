package dev.ranker4j.index;

import java.util.Locale;

/** What an index directory holds. */
public enum IndexKind {
    /** An inverted index of analysed text, searched with BM25. */
    BM25,
    /** Float vectors without a graph, searched exhaustively (exact). */
    FLAT,
    /** Float vectors in an HNSW graph (Lucene99HnswVectorsFormat). */
    HNSW,
    /** HNSW over 8-bit scalar-quantized vectors (Lucene104HnswScalarQuantizedVectorsFormat, unsigned bytes). */
    HNSW_INT8;

    /** The name stored in an index and shown to users: bm25, flat, hnsw, hnsw-int8. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The kind named {@code label}, or null. */
    static IndexKind fromLabel(String label) {
        for (IndexKind kind : values()) if (kind.label().equals(label)) return kind;
        return null;
    }

    /** Whether the index holds vectors (every kind but BM25). */
    public boolean isVector() {
        return this != BM25;
    }
}
