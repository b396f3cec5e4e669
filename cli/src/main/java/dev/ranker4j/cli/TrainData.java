package dev.ranker4j.cli;

import dev.ranker4j.ir.data.GroupedTrainingExample;
import dev.ranker4j.ir.data.RerankerToolkitFormat;
import dev.ranker4j.ir.retrieval.TextFiles;
import dev.ranker4j.tokenizer.WordPieceTokenizer;
import dev.ranker4j.training.sampling.SamplingFiles;
import dev.ranker4j.training.train.BatchSource;
import dev.ranker4j.training.train.ColbertBatch;
import dev.ranker4j.training.train.GroupedExampleBatches;
import dev.ranker4j.training.train.ListwiseBatch;
import dev.ranker4j.training.train.ListwiseInstanceBatches;
import dev.ranker4j.training.train.PairBatch;
import dev.ranker4j.training.train.TasBalancedBatches;
import dev.ranker4j.training.train.TasBatch;
import dev.ranker4j.training.train.TextBatches;
import dev.ranker4j.training.train.TextGroups;
import dev.ranker4j.training.train.TrainingInputs;
import dev.ranker4j.transformer.ranking.CrossEncoder;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The {@code data} and {@code sampler} sections of a {@code train} config, turned into the batch source an objective
 * consumes. {@code data.format} is either text the trainer samples from itself:
 * <ul>
 *   <li>{@code msmarco-triples} ({@code path}) or {@code beir} ({@code path}, {@code split}, {@code max_queries}):
 *       every objective; hard negatives from the triples, random ones from the pool;</li>
 * </ul>
 * or data mined by {@code ranker4j mine-negatives} ({@code path} = its output):
 * <ul>
 *   <li>{@code reranker-grouped} ({@code --sampler lce}: grouped token ids): objectives {@code lce},
 *       {@code bce} (each group's rows labelled 1, 0, …, 0), {@code colbert-lce} and {@code distillation};</li>
 *   <li>{@code tas-balanced-batches} ({@code --sampler tas-b}, plus {@code queries} and {@code corpus} for the
 *       texts): objective {@code tas-balanced}; the pairwise teacher's scores come from the file;</li>
 *   <li>{@code listwise-instances} ({@code --sampler rocketqa}, plus {@code queries} and {@code corpus}): objective
 *       {@code rocketqav2}.</li>
 * </ul>
 * {@code data.max_length} caps every sequence; {@code sampler.queries_per_batch} and {@code sampler.seed} drive the
 * batches (TAS-Balanced batches keep the file's composition).
 */
final class TrainData {
    static final String TRIPLES = "msmarco-triples", BEIR = "beir", GROUPED = "reranker-grouped",
            TAS_BATCHES = "tas-balanced-batches", LISTWISE = "listwise-instances";
    static final List<String> FORMATS = List.of(TRIPLES, BEIR, GROUPED, TAS_BATCHES, LISTWISE);

    private final TrainConfig data;
    private final String format;
    private final int maxLength;
    private final int queriesPerBatch;
    private final long seed;

    TrainData(TrainConfig root) {
        this.data = root.section("data");
        this.format = data.choice("format", null, FORMATS);
        this.maxLength = data.count("max_length", 128, 8);
        TrainConfig sampler = root.has("sampler") ? root.section("sampler") : null;
        this.queriesPerBatch = sampler == null ? 4 : sampler.count("queries_per_batch", 4, 1);
        this.seed = sampler == null ? 1 : sampler.seed("seed", 1);
    }

    /** Tokens per sequence ({@code data.max_length}). */
    int maxLength() {
        return maxLength;
    }

    /** The {@code data} section. */
    TrainConfig section() {
        return data;
    }

    /** True when the pairwise teacher's scores come with the data (no teacher model needed). */
    boolean hasTeacherScores() {
        return format.equals(TAS_BATCHES);
    }

    /** Cross-encoder groups of 1 positive + {@code groupSize - 1} negatives (lce, distillation). */
    BatchSource<PairBatch> pairGroups(String objective, WordPieceTokenizer tokenizer, int groupSize) {
        if (format.equals(GROUPED)) {
            List<GroupedTrainingExample> examples;
            try (Stream<GroupedTrainingExample> lines = RerankerToolkitFormat.readGrouped(data.path("path"))) {
                examples = lines.toList();
            }
            return new GroupedExampleBatches(examples, inputs(tokenizer), groupSize, queriesPerBatch, seed);
        }
        return textBatches(objective, tokenizer).pairGroups(groupSize);
    }

    /** ColBERT groups of 1 positive + {@code groupSize - 1} negatives (colbert-lce), from grouped data only. */
    BatchSource<ColbertBatch> colbertGroups(String objective, WordPieceTokenizer tokenizer, int groupSize) {
        if (!format.equals(GROUPED)) {
            throw data.error("format", "'" + format + "' cannot feed objective '" + objective + "' (it needs " + GROUPED + ")");
        }
        List<GroupedTrainingExample> examples;
        try (Stream<GroupedTrainingExample> lines = RerankerToolkitFormat.readGrouped(data.path("path"))) {
            examples = lines.toList();
        }
        return new GroupedExampleBatches(examples, inputs(tokenizer), groupSize, queriesPerBatch, seed).colbert();
    }

    /**
     * Pointwise labelled pairs (bce); from grouped data, groups of {@code groupSize} labelled 1, 0, …, 0 (the objective
     * labels them).
     */
    BatchSource<PairBatch> labelledPairs(String objective, WordPieceTokenizer tokenizer, int groupSize) {
        if (format.equals(GROUPED)) return pairGroups(objective, tokenizer, groupSize);
        return textBatches(objective, tokenizer).labelledPairs();
    }

    /** TAS-Balanced batches; {@code pairwiseTeacher} is only asked for when the data has no teacher scores. */
    BatchSource<TasBatch> tasBalanced(String objective, WordPieceTokenizer tokenizer, TeacherLoader pairwiseTeacher)
            throws IOException {
        if (format.equals(TAS_BATCHES)) {
            return new TasBalancedBatches(SamplingFiles.readTasBatches(data.path("path")), texts("queries", true),
                    texts("corpus", false), inputs(tokenizer));
        }
        return textBatches(objective, tokenizer).tasBalanced(pairwiseTeacher.load());
    }

    /** RocketQAv2 lists of {@code listSize} passages; mined instances must have exactly that size when it is given. */
    BatchSource<ListwiseBatch> listwise(String objective, WordPieceTokenizer tokenizer, TrainConfig objectiveConfig) {
        if (format.equals(LISTWISE)) {
            ListwiseInstanceBatches batches = new ListwiseInstanceBatches(SamplingFiles.readListwise(data.path("path")),
                    texts("queries", true), texts("corpus", false), inputs(tokenizer), queriesPerBatch);
            long wanted = objectiveConfig.count("list_size", batches.listSize(), 2);
            if (wanted != batches.listSize()) {
                throw objectiveConfig.error("list_size", "is " + wanted + " but the instances in "
                        + data.path("path") + " list " + batches.listSize() + " passages");
            }
            return batches;
        }
        return textBatches(objective, tokenizer).listwise(objectiveConfig.count("list_size", 4, 2));
    }

    /** Loads a teacher model on demand. */
    @FunctionalInterface
    interface TeacherLoader {
        CrossEncoder load() throws IOException;
    }

    private TrainingInputs inputs(WordPieceTokenizer tokenizer) {
        return new TrainingInputs(tokenizer, maxLength);
    }

    private TextBatches textBatches(String objective, WordPieceTokenizer tokenizer) {
        TextGroups groups = switch (format) {
            case TRIPLES -> TextGroups.fromTriples(data.path("path"));
            case BEIR -> TextGroups.fromBeir(data.path("path"), data.string("split", "train"),
                    data.count("max_queries", 0, 0));
            default -> throw data.error("format", "'" + format + "' cannot feed objective '" + objective
                    + "' (it feeds " + objectivesOf(format) + ")");
        };
        return new TextBatches(groups, tokenizer, maxLength, queriesPerBatch, seed);
    }

    private static String objectivesOf(String format) {
        return switch (format) {
            case GROUPED -> "lce, bce, colbert-lce and distillation";
            case TAS_BATCHES -> "tas-balanced";
            case LISTWISE -> "rocketqav2";
            default -> "every objective";
        };
    }

    /** Id to text from {@code data.<field>} (BEIR JSON lines or id TAB text). */
    private Map<String, String> texts(String field, boolean queries) {
        if (!data.has(field)) {
            throw data.error(field, "is missing (format '" + format + "' names passages by id; give the "
                    + (queries ? "queries" : "corpus") + " file with their texts)");
        }
        return queries ? TextFiles.queries(data.path(field)) : TextFiles.documents(data.path(field));
    }
}
