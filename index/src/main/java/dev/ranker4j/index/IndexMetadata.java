package dev.ranker4j.index;

import dev.ranker4j.ir.retrieval.Similarity;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The settings an index was built with, stored in its Lucene commit's user data (so they are written atomically with
 * the index itself) under {@code ranker4j.*} keys. A reader refuses an index whose metadata is missing (a foreign
 * Lucene index), of a newer {@code ranker4j.format}, or of another kind than it searches.
 *
 * <pre>
 *   ranker4j.format      1
 *   ranker4j.kind        bm25 | flat | hnsw | hnsw-int8
 *   ranker4j.analyzer    bm25: the {@link EnglishAnalysis#id()} of the indexed field
 *   ranker4j.similarity  vectors: cosine | dot (cosine indexes hold unit vectors, scored by dot product)
 *   ranker4j.dimension   vectors: floats per vector
 *   ranker4j.m           hnsw*: maximum connections per node
 *   ranker4j.ef_construction  hnsw*: candidate queue size while building the graph
 *   ranker4j.source      the file the index was built from (information only)
 * </pre>
 *
 * @param kind           what the index holds
 * @param analysis       the analysis of a BM25 index, else null
 * @param similarity     the similarity of a vector index, else null
 * @param dimension      floats per vector, 0 for BM25
 * @param m              HNSW maximum connections, 0 when there is no graph
 * @param efConstruction HNSW build queue, 0 when there is no graph
 * @param source         the input file's name
 */
public record IndexMetadata(IndexKind kind, EnglishAnalysis analysis, Similarity similarity, int dimension, int m,
                            int efConstruction, String source) {
    /** The version of this layout; a reader refuses a larger one. */
    public static final int FORMAT = 1;

    static final String PREFIX = "ranker4j.";

    /** Metadata of a BM25 index. */
    public static IndexMetadata bm25(EnglishAnalysis analysis, String source) {
        return new IndexMetadata(IndexKind.BM25, analysis, null, 0, 0, 0, source);
    }

    /** Metadata of a vector index. */
    public static IndexMetadata vectors(IndexKind kind, Similarity similarity, int dimension, int m, int efConstruction,
                                        String source) {
        return new IndexMetadata(kind, null, similarity, dimension, m, efConstruction, source);
    }

    /** The commit user data. */
    public Map<String, String> toUserData() {
        Map<String, String> data = new LinkedHashMap<>();
        data.put(PREFIX + "format", Integer.toString(FORMAT));
        data.put(PREFIX + "kind", kind.label());
        if (analysis != null) data.put(PREFIX + "analyzer", analysis.id());
        if (similarity != null) data.put(PREFIX + "similarity", similarity.name().toLowerCase(Locale.ROOT));
        if (dimension > 0) data.put(PREFIX + "dimension", Integer.toString(dimension));
        if (m > 0) data.put(PREFIX + "m", Integer.toString(m));
        if (efConstruction > 0) data.put(PREFIX + "ef_construction", Integer.toString(efConstruction));
        if (source != null) data.put(PREFIX + "source", source);
        return data;
    }

    /** Reads the metadata of the index in {@code dir} from its commit user data; one-line errors naming {@code dir}. */
    public static IndexMetadata fromUserData(Path dir, Map<String, String> data) {
        String kindLabel = data.get(PREFIX + "kind");
        if (kindLabel == null) {
            throw new IndexException(dir, "not a ranker4j index (its Lucene commit has no " + PREFIX + "kind;"
                    + " build one with ranker4j index)");
        }
        int format = integer(dir, data, "format");
        if (format > FORMAT) {
            throw new IndexException(dir, "index format " + format + " is newer than this ranker4j reads (" + FORMAT
                    + ")");
        }
        IndexKind kind = IndexKind.fromLabel(kindLabel);
        if (kind == null) throw new IndexException(dir, "unknown index kind '" + kindLabel + "'");
        String source = data.get(PREFIX + "source");
        if (kind == IndexKind.BM25) {
            String analyzer = data.get(PREFIX + "analyzer");
            if (analyzer == null) throw new IndexException(dir, "BM25 index without " + PREFIX + "analyzer");
            EnglishAnalysis analysis;
            try {
                analysis = EnglishAnalysis.parse(analyzer);
            } catch (IllegalArgumentException e) {
                throw new IndexException(dir, "built with an analyzer this version cannot reproduce: " + e.getMessage());
            }
            return bm25(analysis, source);
        }
        String similarity = data.get(PREFIX + "similarity");
        Similarity parsed = "cosine".equals(similarity) ? Similarity.COSINE : "dot".equals(similarity) ? Similarity.DOT
                : null;
        if (parsed == null) throw new IndexException(dir, "unknown " + PREFIX + "similarity '" + similarity + "'");
        int dimension = integer(dir, data, "dimension");
        boolean graph = kind != IndexKind.FLAT;
        return vectors(kind, parsed, dimension, graph ? integer(dir, data, "m") : 0,
                graph ? integer(dir, data, "ef_construction") : 0, source);
    }

    private static int integer(Path dir, Map<String, String> data, String key) {
        String value = data.get(PREFIX + key);
        try {
            int parsed = Integer.parseInt(value);
            if (parsed > 0) return parsed;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IndexException(dir, PREFIX + key + " is '" + value + "', not a positive integer");
    }

    /** A one-line description for the command line's JSON: the user data as JSON object members. */
    public String describe() {
        StringBuilder json = new StringBuilder();
        toUserData().forEach((key, value) -> {
            if (!json.isEmpty()) json.append(',');
            json.append('"').append(key.substring(PREFIX.length())).append("\":\"")
                    .append(value.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        });
        return json.toString();
    }
}
