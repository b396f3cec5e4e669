package dev.ranker4j.spark;

import dev.ranker4j.index.VectorSearcher;
import dev.ranker4j.ir.data.Qrels;
import dev.ranker4j.ir.data.Run;
import dev.ranker4j.ir.data.ScoredDoc;
import dev.ranker4j.ir.data.TrecEvalOrder;
import dev.ranker4j.ir.data.TrecFormat;
import dev.ranker4j.ir.retrieval.CorpusEncoder;
import dev.ranker4j.ir.retrieval.DenseVectors;
import dev.ranker4j.ir.retrieval.ExactSearch;
import dev.ranker4j.ir.retrieval.Hit;
import dev.ranker4j.ir.retrieval.Progress;
import dev.ranker4j.ir.retrieval.Similarity;
import dev.ranker4j.ir.retrieval.TextFiles;
import dev.ranker4j.ir.retrieval.VectorFiles;
import dev.ranker4j.transformer.bert.SentenceEncoder;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code ranker4j spark search}: top-k search of every query over all partitions, merged into one TREC run.
 *
 * <ul>
 *   <li>{@code --vectors DIR}: exact search, one task per Parquet file; each runs {@link ExactSearch} (the same as
 *       {@code ranker4j search --docs}) over its file and keeps each query's top k, ties cut in trec_eval order. The
 *       merged top k of the parts is the top k of the whole, so the run is {@code ranker4j search --docs}'s, byte for
 *       byte, given the same vectors.</li>
 *   <li>{@code --index DIR}: the shards of {@code ranker4j spark index}, one task per shard, each searched by the
 *       index module's {@link VectorSearcher} (HNSW with beam {@code ef}), merged the same way.</li>
 * </ul>
 * The queries are few next to a corpus: they are read (a vector file from {@code ranker4j encode}, or texts encoded
 * on the driver with {@code --model}, as {@code ranker4j search --index --model} encodes them) and broadcast.
 */
final class SearchJob {
    private SearchJob() {}

    record Settings(String vectors, String index, String queries, String model, String qrels, int k, int ef,
                    Similarity similarity, int maxLength, int batchSize, boolean removeQuery, boolean verify,
                    String output, String tag, int threads, boolean quiet) {}

    record Result(int queries, int parts, long hits, double encodeSeconds, double searchSeconds) {}

    /** The query vectors as they travel to the executors. */
    private record QueryVectors(List<String> ids, int dimension, boolean normalized, float[] data)
            implements Serializable {
        DenseVectors vectors() {
            return new DenseVectors(ids, dimension, normalized, data);
        }
    }

    /** One hit of query {@code query} (an index into the query vectors). */
    private record PartHit(int query, String docId, double score) implements Serializable {}

    static Result run(SparkSession spark, Settings s) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Configuration conf = jsc.hadoopConfiguration();
        Qrels judged = s.qrels() == null ? null : Qrels.read(Path.of(s.qrels()));
        long encodeStart = System.nanoTime();
        DenseVectors queries = queries(s, judged);
        double encodeSeconds = (System.nanoTime() - encodeStart) / 1e9;
        Broadcast<QueryVectors> broadcast = jsc.broadcast(new QueryVectors(queries.ids(), queries.dimension(),
                queries.normalized(), queries.data()));

        long searchStart = System.nanoTime();
        List<String> parts = new ArrayList<>();
        List<PartHit> hits;
        int k = s.k();
        if (s.vectors() != null) {
            for (org.apache.hadoop.fs.Path file : VectorParquet.files(s.vectors(), conf)) parts.add(file.toString());
            Similarity similarity = s.similarity();
            int threads = s.threads();
            hits = jsc.parallelize(parts, Math.max(1, parts.size()))
                    .flatMap(file -> searchPart(file, broadcast.value().vectors(), k, similarity, threads).iterator())
                    .collect();
        } else {
            for (Path shard : shards(IndexJob.localPath(s.index()))) parts.add(shard.toString());
            int ef = s.ef();
            boolean removeQuery = s.removeQuery();
            boolean verify = s.verify();
            hits = jsc.parallelize(parts, Math.max(1, parts.size()))
                    .flatMap(shard -> searchShard(shard, broadcast.value().vectors(), k, ef, removeQuery, verify)
                            .iterator())
                    .collect();
        }
        Run run = merge(queries, hits, k);
        double searchSeconds = (System.nanoTime() - searchStart) / 1e9;
        String tag = s.tag() != null ? s.tag() : s.vectors() != null ? "ranker4j-dense" : "ranker4j-spark-index";
        TrecFormat.writeRun(Path.of(s.output()), run.entries(tag));
        broadcast.destroy();
        return new Result(queries.size(), parts.size(), hits.size(), encodeSeconds, searchSeconds);
    }

    /** The top {@code k} of every query over all parts: trec_eval order (score, then docid, descending). */
    static Run merge(DenseVectors queries, List<PartHit> hits, int k) {
        Map<Integer, List<ScoredDoc>> byQuery = new LinkedHashMap<>();
        for (PartHit hit : hits) {
            byQuery.computeIfAbsent(hit.query(), q -> new ArrayList<>()).add(new ScoredDoc(hit.docId(), hit.score()));
        }
        Run.Builder run = new Run.Builder();
        for (int q = 0; q < queries.size(); q++) {
            List<ScoredDoc> candidates = byQuery.getOrDefault(q, List.of());
            candidates = new ArrayList<>(candidates);
            candidates.sort(TrecEvalOrder.RANKING);
            for (ScoredDoc doc : candidates.subList(0, Math.min(k, candidates.size()))) {
                run.add(queries.ids().get(q), doc.docId(), doc.score());
            }
        }
        return run.build();
    }

    private static List<PartHit> searchPart(String file, DenseVectors queries, int k, Similarity similarity,
                                            int threads) {
        DenseVectors docs = VectorParquet.read(new org.apache.hadoop.fs.Path(file), new Configuration());
        if (docs == null) return List.of();
        int searchThreads = threads > 0 ? threads : TaskContext.get() != null ? TaskContext.get().cpus() : 1;
        List<List<Hit>> found = new ExactSearch(searchThreads).search(queries, docs, k, similarity);
        List<PartHit> out = new ArrayList<>();
        for (int q = 0; q < found.size(); q++) {
            for (Hit hit : found.get(q)) out.add(new PartHit(q, docs.ids().get(hit.doc()), hit.score()));
        }
        return out;
    }

    private static List<PartHit> searchShard(String shard, DenseVectors queries, int k, int ef, boolean removeQuery,
                                             boolean verify) throws IOException {
        try (VectorSearcher searcher = VectorSearcher.open(Path.of(shard), verify)) {
            DenseVectors prepared = searcher.prepare(queries, Path.of("the queries"));
            List<PartHit> out = new ArrayList<>();
            for (int q = 0; q < prepared.size(); q++) {
                for (ScoredDoc doc : searcher.search(prepared.ids().get(q), prepared.vector(q), k, ef, removeQuery)) {
                    out.add(new PartHit(q, doc.docId(), doc.score()));
                }
            }
            return out;
        }
    }

    /** The shard directories of an index job's output, in order. */
    static List<Path> shards(Path index) {
        if (!Files.isDirectory(index)) throw new IllegalArgumentException(index + ": no such index directory");
        try (Stream<Path> children = Files.list(index)) {
            List<Path> shards = children.filter(p -> Files.isDirectory(p) && p.getFileName().toString().matches("shard-\\d+"))
                    .sorted().toList();
            if (shards.isEmpty()) {
                throw new IllegalArgumentException(index + ": no shard-NNNNN directories; build them with ranker4j"
                        + " spark index");
            }
            return shards;
        } catch (IOException e) {
            throw new UncheckedIOException(index + ": " + e.getMessage(), e);
        }
    }

    /**
     * The query vectors: a vector file as it is, or query texts encoded with {@code --model} as {@code ranker4j search
     * --index --model} encodes them (longest first in batches, normalized for an index); only the judged queries when
     * qrels are given.
     */
    static DenseVectors queries(Settings s, Qrels judged) {
        Path file = Path.of(s.queries());
        if (isVectorFile(file)) {
            if (s.model() != null) throw new IllegalArgumentException(file + " holds vectors; --model encodes query texts");
            DenseVectors vectors = VectorFiles.read(file);
            return judged == null ? vectors : restrict(vectors.restrictedTo(judged.queryIds()), file);
        }
        if (s.model() == null) {
            throw new IllegalArgumentException(file + " holds query texts: give --model to encode them, or a vector file"
                    + " from ranker4j encode --kind queries");
        }
        Map<String, String> texts = TextFiles.queries(file);
        if (judged != null) texts.keySet().retainAll(judged.queryIds());
        if (texts.isEmpty()) throw new IllegalArgumentException(file + ": no query is judged in the qrels");
        SentenceEncoder encoder = ExecutorModels.sentenceEncoder(s.model(), s.batchSize(), 0);
        boolean normalize = s.index() != null && s.similarity() == Similarity.COSINE;
        return new CorpusEncoder(encoder::encode, s.maxLength(), s.batchSize(), Integer.MAX_VALUE, normalize)
                .encode(new ArrayList<>(texts.keySet()), new ArrayList<>(texts.values()), null, Progress.NONE);
    }

    private static DenseVectors restrict(DenseVectors vectors, Path file) {
        if (vectors.size() == 0) throw new IllegalArgumentException(file + ": no query is judged in the qrels");
        return vectors;
    }

    static boolean isVectorFile(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return Arrays.equals(in.readNBytes(VectorFiles.MAGIC.length), VectorFiles.MAGIC);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read: " + e.getMessage(), e);
        }
    }
}
