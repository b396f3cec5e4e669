package dev.ranker4j.spark;

import dev.ranker4j.ir.data.Line;
import dev.ranker4j.ir.data.Qrels;
import dev.ranker4j.ir.data.Run;
import dev.ranker4j.ir.data.RunEntry;
import dev.ranker4j.ir.data.ScoredDoc;
import dev.ranker4j.ir.data.TrecFormat;
import dev.ranker4j.ir.retrieval.Progress;
import dev.ranker4j.ir.retrieval.RunReranker;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.Optional;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;
import scala.Tuple2;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code ranker4j spark rerank}: re-ranks each query's top {@code depth} documents of a TREC run with a model, as
 * {@code ranker4j rerank} does, with the corpus and the run distributed.
 *
 * <p>The run's entries are joined with the corpus texts by document id (a distributed join, so the corpus never has to
 * fit on one machine), grouped by query, and the queries hashed into partitions. A task re-ranks each of its queries
 * with {@link RunReranker} itself, handing the executor's shared scorer a query's whole list as the single-machine
 * command does (the scorer cuts it into batches of {@code batchSize}), so every score is that command's, bit for bit.
 * Each partition's scores go to {@code OUTPUT.parts/part-NNNNN.tsv} through a temporary file and a rename;
 * a rerun skips the parts that exist. The driver then writes the TREC run (queries in the input run's order, as
 * {@code ranker4j rerank} writes them) and deletes the parts.
 */
final class RerankJob {
    private RerankJob() {}

    record Settings(String run, String queries, String corpus, String qrels, String model,
                    ExecutorModels.ScorerKind kind, int depth, int batchSize, int maxLength, int queryLength,
                    String output, String tag, int partitions, int threads, boolean quiet) {}

    record Result(int queries, long pairs, int partitions, int scoredPartitions, double seconds) {}

    /** One candidate of a query: its rank in the first stage (1-based, trec_eval order) and first-stage score. */
    private record Candidate(String queryId, String docId, double score, int rank) implements Serializable {}

    /** One line of the first-stage run and its index in the file. */
    private record Entry(String queryId, String docId, double score, long line) implements Serializable {}

    /** A candidate with its text, on its way to the query's partition. */
    private record Pair(Candidate candidate, String text) implements Serializable {}

    static Result run(SparkSession spark, Settings s) {
        long start = System.nanoTime();
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Configuration conf = jsc.hadoopConfiguration();
        Path parts = new Path(s.output() + ".parts");
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("job", "rerank");
        settings.put("run", s.run());
        settings.put("queries", s.queries());
        settings.put("corpus", s.corpus());
        settings.put("qrels", s.qrels());
        settings.put("model", s.model());
        settings.put("kind", s.kind());
        settings.put("depth", s.depth());
        settings.put("batch_size", s.batchSize());
        settings.put("max_length", s.maxLength());
        settings.put("query_length", s.queryLength());
        int partitions = s.partitions() > 0 ? s.partitions() : 4 * jsc.defaultParallelism();
        settings.put("partitions", partitions);
        PartFiles.claim(parts, settings, conf);

        Set<String> judged = s.qrels() == null ? null : Qrels.read(java.nio.file.Path.of(s.qrels())).queryIds();
        Broadcast<Set<String>> judgedQueries = jsc.broadcast(judged == null ? null : new HashSet<>(judged));
        String runFile = s.run();
        int depth = s.depth();
        JavaPairRDD<String, Iterable<Entry>> byQuery = jsc.textFile(runFile).zipWithIndex()
                .filter(line -> !line._1().isBlank())
                .map(line -> {
                    RunEntry entry = TrecFormat.parseRunEntry(new Line(java.nio.file.Path.of(runFile), line._2() + 1,
                            line._1()));
                    return new Entry(entry.queryId(), entry.docId(), entry.score(), line._2());
                })
                .filter(entry -> judgedQueries.value() == null || judgedQueries.value().contains(entry.queryId()))
                .groupBy(Entry::queryId);
        // The query order of the written run: first appearance in the input run, as Run.readTrec keeps it.
        List<Tuple2<String, Long>> firstLines = byQuery.mapValues(entries -> {
            long first = Long.MAX_VALUE;
            for (Entry entry : entries) first = Math.min(first, entry.line());
            return first;
        }).collect();
        if (firstLines.isEmpty()) {
            throw new IllegalArgumentException(s.run() + (judged == null ? ": no entries" : ": no query of the run is"
                    + " judged in " + s.qrels()));
        }
        List<String> queryOrder = new ArrayList<>(firstLines.stream()
                .sorted(Comparator.comparingLong(Tuple2::_2)).map(Tuple2::_1).toList());

        JavaRDD<Candidate> candidates = byQuery.flatMap(group -> topCandidates(group._1(), group._2(), depth,
                runFile).iterator());
        long pairs = candidates.count();

        Set<String> runQueries = new HashSet<>(queryOrder);
        JavaRDD<TextRow> allQueries = TextInputs.read(jsc, s.queries(), TextInputs.Kind.queries, 0);
        Map<String, String> queryTexts = new HashMap<>(allQueries.filter(row -> runQueries.contains(row.id()))
                .mapToPair(row -> new Tuple2<>(row.id(), row.text())).collectAsMap());
        allQueries.unpersist(false);
        Broadcast<Map<String, String>> queries = jsc.broadcast(queryTexts);

        JavaRDD<TextRow> corpus = TextInputs.read(jsc, s.corpus(), TextInputs.Kind.documents, 0);
        JavaPairRDD<String, Pair> joined = candidates.mapToPair(c -> new Tuple2<>(c.docId(), c))
                .leftOuterJoin(corpus.mapToPair(row -> new Tuple2<>(row.id(), row.text())))
                .mapToPair(t -> new Tuple2<>(t._2()._1().queryId(), new Pair(t._2()._1(), text(t._2()._2(),
                        t._2()._1()))));

        PairWindowScorer scorer = new PairWindowScorer(s.model(), s.kind(), s.maxLength(), s.queryLength(),
                s.batchSize(), 0, s.threads());
        LongAccumulator scored = jsc.sc().longAccumulator("ranker4j pairs scored");
        String partsDir = parts.toString();
        List<Boolean> done;
        try (JobProgress ignored = JobProgress.start(spark, "spark rerank", "pairs", pairs, scored, s.quiet())) {
            done = joined.partitionBy(new HashPartitioner(partitions))
                    .mapPartitionsWithIndex((partition, rows) -> scorePart(partition, rows, scorer, depth,
                            queries.value(), partsDir, scored), true)
                    .collect();
        } finally {
            corpus.unpersist(false);
        }

        Run reranked = collect(parts, partitions, queryOrder, conf);
        TrecFormat.writeRun(java.nio.file.Path.of(s.output()), reranked.entries(s.tag()));
        try {
            parts.getFileSystem(conf).delete(parts, true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + parts + ": " + e.getMessage(), e);
        }
        int scoredPartitions = (int) done.stream().filter(Boolean::booleanValue).count();
        return new Result(reranked.size(), pairs, partitions, scoredPartitions, (System.nanoTime() - start) / 1e9);
    }

    /** A query's first {@code depth} candidates in trec_eval order; a document listed twice is an error. */
    private static List<Candidate> topCandidates(String queryId, Iterable<Entry> entries, int depth, String runFile) {
        Run.Builder builder = new Run.Builder();
        List<Entry> inFileOrder = new ArrayList<>();
        entries.forEach(inFileOrder::add);
        inFileOrder.sort(Comparator.comparingLong(Entry::line));
        for (Entry entry : inFileOrder) {
            if (!builder.add(queryId, entry.docId(), entry.score())) {
                throw new IllegalArgumentException(runFile + ":" + (entry.line() + 1) + ": field 'docid': document "
                        + entry.docId() + " is listed twice for query " + queryId);
            }
        }
        List<ScoredDoc> ranking = builder.build().ranking(queryId);
        List<Candidate> top = new ArrayList<>();
        for (int i = 0; i < Math.min(depth, ranking.size()); i++) {
            top.add(new Candidate(queryId, ranking.get(i).docId(), ranking.get(i).score(), i + 1));
        }
        return top;
    }

    private static String text(Optional<String> text, Candidate candidate) {
        if (!text.isPresent()) {
            throw new IllegalArgumentException("document " + candidate.docId() + " (query " + candidate.queryId()
                    + ") is not in the corpus");
        }
        return text.get();
    }

    /** Re-ranks the queries of one partition into its part file; false when the part was already there. */
    private static Iterator<Boolean> scorePart(int partition, Iterator<Tuple2<String, Pair>> rows,
                                               PairWindowScorer scorer, int depth,
                                               Map<String, String> queryTexts, String partsDir,
                                               LongAccumulator scored) {
        Configuration conf = new Configuration();
        Path part = new Path(partsDir, PartFiles.partName(partition, "tsv"));
        if (PartFiles.exists(part, conf)) return List.of(false).iterator();
        Map<String, List<Pair>> byQuery = new TreeMap<>();
        rows.forEachRemaining(row -> byQuery.computeIfAbsent(row._1(), q -> new ArrayList<>()).add(row._2()));
        StringBuilder lines = new StringBuilder();
        if (!byQuery.isEmpty()) {
            RunReranker reranker = new RunReranker(scorer.scorer(), depth);
            Progress progress = new Progress() {
                @Override
                public void advance(long steps) {
                    scored.add(steps);
                }

                @Override
                public void close() {}
            };
            for (var query : byQuery.entrySet()) {
                List<Pair> pairs = query.getValue();
                pairs.sort(Comparator.comparingInt(p -> p.candidate().rank()));
                List<RunEntry> entries = new ArrayList<>();
                Map<String, String> docTexts = new HashMap<>();
                for (Pair pair : pairs) {
                    Candidate c = pair.candidate();
                    entries.add(new RunEntry(c.queryId(), c.docId(), c.rank(), c.score(), "first-stage"));
                    docTexts.put(c.docId(), pair.text());
                }
                Map<String, String> queryText = new HashMap<>();
                if (queryTexts.containsKey(query.getKey())) queryText.put(query.getKey(), queryTexts.get(query.getKey()));
                Run reranked = reranker.rerank(Run.of(entries), queryText, docTexts, progress);
                for (ScoredDoc doc : reranked.ranking(query.getKey())) {
                    lines.append(query.getKey()).append('\t').append(doc.docId()).append('\t')
                            .append(Float.toString((float) doc.score())).append('\n');
                }
            }
        }
        String text = lines.toString();
        PartFiles.commit(part, conf, temporary -> {
            try (FSDataOutputStream out = temporary.getFileSystem(conf).create(temporary, true)) {
                out.write(text.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        return List.of(true).iterator();
    }

    /** The re-ranked run from the part files, queries in {@code order}. */
    private static Run collect(Path parts, int partitions, List<String> order, Configuration conf) {
        Map<String, List<String[]>> byQuery = new HashMap<>();
        try {
            FileSystem fs = parts.getFileSystem(conf);
            for (int p = 0; p < partitions; p++) {
                Path part = new Path(parts, PartFiles.partName(p, "tsv"));
                try (BufferedReader in = new BufferedReader(new InputStreamReader(fs.open(part), StandardCharsets.UTF_8))) {
                    for (String line = in.readLine(); line != null; line = in.readLine()) {
                        String[] fields = line.split("\t", -1);
                        byQuery.computeIfAbsent(fields[0], q -> new ArrayList<>()).add(fields);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the parts in " + parts + ": " + e.getMessage(), e);
        }
        Run.Builder run = new Run.Builder();
        for (String query : order) {
            for (String[] fields : byQuery.getOrDefault(query, List.of())) {
                run.add(query, fields[1], Float.parseFloat(fields[2]));
            }
        }
        return run.build();
    }
}
