package dev.ranker4j.cli;

import dev.ranker4j.ir.data.GroupedTrainingExample;
import dev.ranker4j.ir.data.Qrels;
import dev.ranker4j.ir.data.RerankerToolkitFormat;
import dev.ranker4j.ir.data.Run;
import dev.ranker4j.ir.retrieval.TextFiles;
import dev.ranker4j.ir.retrieval.VectorFiles;
import dev.ranker4j.tokenizer.Truncation;
import dev.ranker4j.tokenizer.WordPieceTokenizer;
import dev.ranker4j.training.sampling.HybridDataAugmentation;
import dev.ranker4j.training.sampling.ListwiseInstance;
import dev.ranker4j.training.sampling.LocalizedNegativeSampler;
import dev.ranker4j.training.sampling.LocalizedNegatives;
import dev.ranker4j.training.sampling.QueryClustering;
import dev.ranker4j.training.sampling.RandomNegativeSampler;
import dev.ranker4j.training.sampling.SamplingFiles;
import dev.ranker4j.training.sampling.TasBalancedInstance;
import dev.ranker4j.training.sampling.TasBalancedSampler;
import dev.ranker4j.training.sampling.TeacherPair;
import dev.ranker4j.training.sampling.TeacherPairs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code ranker4j mine-negatives}: training data for LCE, TAS-Balanced or RocketQAv2 from runs and qrels. */
@Command(name = "mine-negatives", mixinStandardHelpOptions = true,
        description = {"Build training data from a retriever's run and qrels:",
                "  lce       localized negatives: n sampled from the run's top m, not judged relevant; writes the"
                        + " Reranker toolkit's grouped JSON lines (token ids; needs --tokenizer, --queries, --corpus);"
                        + " with --negatives-from corpus, n drawn uniformly from the whole corpus instead (no --run)",
                "  tas-b     TAS-Balanced batches: k-means++ topic clusters of --query-vectors, teacher-margin bins"
                        + " from --teacher-scores (a run of teacher scores); writes one batch per JSON line",
                "  rocketqa  RocketQAv2 hybrid instances: undenoised + denoised with --reranker-scores; writes listwise"
                        + " JSON lines",
                "lce and rocketqa take the retriever's run from --run, or search a Lucene index for it (--index DIR,"
                        + " the top --depth of each judged query).",
                "All are reproducible from --seed."})
final class MineNegativesCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--sampler", required = true, paramLabel = "NAME", description = "lce, tas-b or rocketqa.")
    String sampler;

    @Option(names = "--qrels", required = true, paramLabel = "FILE", description = "Training qrels (TREC or BEIR TSV).")
    Path qrels;

    @Option(names = "--output", required = true, paramLabel = "FILE", description = "The JSON lines file to write.")
    Path output;

    @Option(names = "--run", paramLabel = "FILE", description = "The target retriever's TREC run (lce, rocketqa).")
    Path run;

    @Mixin
    FirstStageOptions firstStage;

    @Option(names = "--negatives-from", defaultValue = "run", paramLabel = "SOURCE",
            description = "lce: where negatives come from: run (localized: the run's top --depth) or corpus (uniformly"
                    + " random passages, the paper's control) (default: ${DEFAULT-VALUE}).")
    String negativesFrom;

    @Option(names = {"-l", "--rel-threshold"}, defaultValue = "1", description = "Relevant grade (default: ${DEFAULT-VALUE}).")
    int relevanceThreshold;

    @Option(names = "--seed", defaultValue = "42", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--depth", defaultValue = "100", description = "lce m / rocketqa n: run depth (default: ${DEFAULT-VALUE}).")
    int depth;

    @Option(names = "--negatives", defaultValue = "7", description = "lce: negatives per query (default: ${DEFAULT-VALUE}).")
    int negatives;

    @Option(names = "--tokenizer", paramLabel = "DIR", description = "lce: model directory with the tokenizer.")
    Path tokenizer;

    @Option(names = "--queries", paramLabel = "FILE",
            description = "lce, and --index: queries.jsonl or id TAB text.")
    Path queries;

    @Option(names = "--corpus", paramLabel = "FILE", description = "lce: corpus.jsonl or id TAB text.")
    Path corpus;

    @Option(names = "--query-max-length", defaultValue = "32", description = "lce: query tokens (default: ${DEFAULT-VALUE}).")
    int queryMaxLength;

    @Option(names = "--passage-max-length", defaultValue = "256",
            description = "lce: passage tokens (default: ${DEFAULT-VALUE}).")
    int passageMaxLength;

    @Option(names = "--teacher-scores", paramLabel = "FILE", description = "tas-b: TREC run of teacher scores.")
    Path teacherScores;

    @Option(names = "--query-vectors", paramLabel = "FILE", description = "tas-b: encoded training queries.")
    Path queryVectors;

    @Option(names = "--clusters", defaultValue = "2000", description = "tas-b: k (default: ${DEFAULT-VALUE}).")
    int clusters;

    @Option(names = "--batch-size", defaultValue = "32", description = "tas-b: b (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--clusters-per-batch", defaultValue = "1", description = "tas-b: n (default: ${DEFAULT-VALUE}).")
    int clustersPerBatch;

    @Option(names = "--bins", defaultValue = "10", description = "tas-b: h margin bins (default: ${DEFAULT-VALUE}).")
    int bins;

    @Option(names = "--batches", defaultValue = "1000", description = "tas-b: batches to write (default: ${DEFAULT-VALUE}).")
    int batches;

    @Option(names = "--reranker-scores", paramLabel = "FILE", description = "rocketqa: TREC run of re-ranker scores.")
    Path rerankerScores;

    @Option(names = "--list-size", defaultValue = "8", description = "rocketqa: passages per instance (default: ${DEFAULT-VALUE}).")
    int listSize;

    @Option(names = "--negative-threshold", defaultValue = "0.1",
            description = "rocketqa: drop retrieved negatives scored at or above (default: ${DEFAULT-VALUE}).")
    double negativeThreshold;

    @Option(names = "--positive-threshold", defaultValue = "0.9",
            description = "rocketqa: add retrieved passages scored at or above as positives (default: ${DEFAULT-VALUE}).")
    double positiveThreshold;

    @Option(names = "--undenoised", defaultValue = "1", description = "rocketqa: undenoised instances per query (default: ${DEFAULT-VALUE}).")
    int undenoised;

    @Option(names = "--denoised", defaultValue = "1", description = "rocketqa: denoised instances per query (default: ${DEFAULT-VALUE}).")
    int denoised;

    @Override
    public Integer call() throws Exception {
        new OutputPaths().input("--qrels", qrels).input("--run", run).input("--index", firstStage.index).input("--tokenizer", tokenizer).input("--queries", queries)
                .input("--corpus", corpus).input("--teacher-scores", teacherScores).input("--query-vectors", queryVectors)
                .input("--reranker-scores", rerankerScores).file("--output", output);
        Qrels judgments = Qrels.read(qrels);
        int written = switch (sampler) {
            case "lce" -> lce(judgments);
            case "tas-b" -> tasBalanced(judgments);
            case "rocketqa" -> rocketQa(judgments);
            default -> throw new IllegalArgumentException("unknown sampler '" + sampler + "' (lce, tas-b, rocketqa)");
        };
        spec.commandLine().getOut().printf("{\"sampler\":%s,\"output\":%s,\"written\":%d}%n", Json.quote(sampler),
                Json.quote(output.toString()), written);
        spec.commandLine().getOut().flush();
        return 0;
    }

    private int lce(Qrels judgments) throws java.io.IOException {
        if (negativesFrom.equals("run")) requireFirstStage();
        require(tokenizer, "--tokenizer");
        require(queries, "--queries");
        require(corpus, "--corpus");
        Map<String, String> docTexts = TextFiles.documents(corpus);
        List<LocalizedNegatives> samples = switch (negativesFrom) {
            case "run" -> new LocalizedNegativeSampler(negatives, depth, relevanceThreshold, seed)
                    .sample(firstStage.run(run, queries, judgments, depth, true), judgments);
            case "corpus" -> {
                if (run != null || firstStage.index != null) {
                    throw new IllegalArgumentException("--negatives-from corpus draws from --corpus; --run and --index"
                            + " are not used (remove them)");
                }
                yield new RandomNegativeSampler(negatives, relevanceThreshold, seed).sample(List.copyOf(docTexts.keySet()), judgments);
            }
            default -> throw new IllegalArgumentException("--negatives-from is '" + negativesFrom + "'; expected run or corpus");
        };
        WordPieceTokenizer wordPiece = WordPieceTokenizer.fromDirectory(tokenizer);
        Map<String, String> queryTexts = TextFiles.queries(queries);
        List<GroupedTrainingExample> grouped = new ArrayList<>();
        for (LocalizedNegatives sample : samples) {
            grouped.add(sample.toGrouped(id -> tokenIds(wordPiece, text(queryTexts, id, "query"), queryMaxLength),
                    id -> tokenIds(wordPiece, text(docTexts, id, "document"), passageMaxLength)));
        }
        RerankerToolkitFormat.writeGrouped(output, grouped);
        return grouped.size();
    }

    private int tasBalanced(Qrels judgments) {
        require(teacherScores, "--teacher-scores");
        require(queryVectors, "--query-vectors");
        Map<String, List<TeacherPair>> pairs = TeacherPairs.fromScores(Run.readTrec(teacherScores), judgments,
                relevanceThreshold);
        // Topics are clusters of the training queries only: other queries in the vector file (a test split) stay out.
        var vectors = VectorFiles.read(queryVectors).restrictedTo(judgments.queryIds());
        if (vectors.size() == 0) throw new IllegalArgumentException(queryVectors + ": holds no vector of a query judged in " + qrels);
        List<List<String>> topics = QueryClustering.kMeansPlusPlus(vectors, Math.min(clusters, vectors.size()), 100, seed);
        List<List<TasBalancedInstance>> drawn = new TasBalancedSampler(topics, pairs, batchSize, clustersPerBatch, bins,
                seed).batches(batches);
        SamplingFiles.writeTasBatches(output, drawn);
        return drawn.size();
    }

    private int rocketQa(Qrels judgments) throws java.io.IOException {
        requireFirstStage();
        require(rerankerScores, "--reranker-scores");
        Run retrieved = firstStage.run(run, queries, judgments, depth, true);
        List<ListwiseInstance> instances = new HybridDataAugmentation(new HybridDataAugmentation.Settings(listSize, depth,
                negativeThreshold, positiveThreshold, undenoised, denoised, relevanceThreshold, seed))
                .build(retrieved, Run.readTrec(rerankerScores), judgments);
        SamplingFiles.writeListwise(output, instances);
        return instances.size();
    }

    /** Token ids without [CLS]/[SEP], as the Reranker toolkit stores them (it adds the specials when batching). */
    private static int[] tokenIds(WordPieceTokenizer tokenizer, String text, int maxLength) {
        int specials = tokenizer.specialTokenCount(false);
        int[] ids = tokenizer.encode(text, Truncation.longestFirst(maxLength + specials)).ids();
        return Arrays.copyOfRange(ids, 1, ids.length - (specials - 1));
    }

    private static String text(Map<String, String> texts, String id, String what) {
        String text = texts.get(id);
        if (text == null) throw new IllegalArgumentException(what + " " + id + " has no text");
        return text;
    }

    /** The retriever's run: --run, or --index to search. */
    private void requireFirstStage() {
        if (run == null && firstStage.index == null) {
            throw new IllegalArgumentException("--sampler " + sampler + " needs --run or --index");
        }
    }

    private void require(Object value, String option) {
        if (value == null) throw new IllegalArgumentException("--sampler " + sampler + " needs " + option);
    }
}
