package dev.ranker4j.cli;

import dev.ranker4j.autograd.nn.Module;
import dev.ranker4j.tokenizer.WordPieceTokenizer;
import dev.ranker4j.training.distill.LayerMapping;
import dev.ranker4j.training.distill.RankerDistillationLoss;
import dev.ranker4j.training.optim.AdamW;
import dev.ranker4j.training.optim.LinearWarmupSchedule;
import dev.ranker4j.training.optim.Optimizer;
import dev.ranker4j.training.optim.Sgd;
import dev.ranker4j.training.optim.WeightDecayPolicy;
import dev.ranker4j.training.train.BatchSource;
import dev.ranker4j.training.train.ColbertLceObjective;
import dev.ranker4j.training.train.CrossEncoderBceObjective;
import dev.ranker4j.training.train.CrossEncoderLceObjective;
import dev.ranker4j.training.train.ModelSaver;
import dev.ranker4j.training.train.Objective;
import dev.ranker4j.training.train.RankerDistillationObjective;
import dev.ranker4j.training.train.RocketQaV2Objective;
import dev.ranker4j.training.train.TasBalancedObjective;
import dev.ranker4j.training.train.Trainer;
import dev.ranker4j.training.train.TrainerOptions;
import dev.ranker4j.transformer.ranking.CrossEncoder;
import dev.ranker4j.transformer.ranking.DualEncoder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code ranker4j train CONFIG.json}: trains a ranker as one JSON file describes (model, objective, data, sampler,
 * optimizer, schedule, output); see {@code examples/} and docs/TRAINING.md. Writes {@code checkpoint-<step>/}
 * directories (Hugging Face files + trainer state) and {@code train_log.jsonl} under {@code output}; with
 * {@code --resume DIR} continues a run from one of its checkpoints.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train a ranker from a JSON config (see examples/): LCE or BCE cross-encoders, TAS-B dual encoders,",
                "RocketQAv2 joint training, ranker distillation. Prints a progress bar; logs to OUTPUT/train_log.jsonl."})
final class TrainCommand implements Callable<Integer> {
    static final List<String> OBJECTIVES = List.of("lce", "bce", "colbert-lce", "tas-balanced", "rocketqav2", "distillation");

    @Parameters(index = "0", paramLabel = "CONFIG", description = "The training config (JSON).")
    Path configFile;

    @Option(names = "--resume", paramLabel = "CHECKPOINT", description = "Continue from a checkpoint-<step> directory of this run.")
    Path resume;

    @Option(names = "--steps", paramLabel = "N", description = "Override schedule.steps.")
    Long stepsOverride;

    @Option(names = "--until", paramLabel = "STEP", description = "Stop after this step, checkpointed, as if interrupted"
            + " there; the schedule still spans the whole run, so a --resume later continues it exactly.")
    Long until;

    @Option(names = "--no-progress", description = "No progress bar (logs only).")
    boolean noProgress;

    @Mixin
    BackendOption backend;

    @Override
    public Integer call() throws Exception {
        backend.install(); // weights change every step, so none is marked device-resident
        TrainConfig root = TrainConfig.read(configFile);
        TrainConfig objectiveConfig = root.section("objective");
        String objectiveName = objectiveConfig.choice("name", null, OBJECTIVES);
        TrainConfig modelConfig = root.section("model");
        TrainData data = new TrainData(root);
        TrainConfig schedule = root.section("schedule");
        Path output = root.path("output");

        Setup<?> setup = switch (objectiveName) {
            case "lce", "bce" -> {
                CrossEncoder model = TrainModels.crossEncoder(modelConfig);
                WordPieceTokenizer tokenizer = tokenizer(root, modelConfig);
                yield objectiveName.equals("lce")
                        ? new Setup<>(model, model::save,
                        new CrossEncoderLceObjective(model, (int) objectiveConfig.integer("gradient_cache_chunk", 0)),
                        data.pairGroups(objectiveName, tokenizer, (int) objectiveConfig.integer("group_size", 8)),
                        TrainModels.tokenizerDirectory(root, modelConfig), model)
                        : new Setup<>(model, model::save, new CrossEncoderBceObjective(model),
                        data.labelledPairs(objectiveName, tokenizer, (int) objectiveConfig.integer("group_size", 8)), TrainModels.tokenizerDirectory(root, modelConfig), model);
            }
            case "colbert-lce" -> {
                var colbert = TrainModels.colbert(modelConfig);
                colbert.train();
                yield new Setup<>(colbert, colbert::save, new ColbertLceObjective(colbert),
                        data.colbertGroups(objectiveName, tokenizer(root, modelConfig), (int) objectiveConfig.integer("group_size", 8)),
                        TrainModels.tokenizerDirectory(root, modelConfig), colbert);
            }
            case "tas-balanced" -> {
                TrainConfig studentConfig = modelConfig.section("student");
                DualEncoder student = TrainModels.dualEncoder(studentConfig);
                if (data.hasTeacherScores() && modelConfig.has("pairwise_teacher")) {
                    throw modelConfig.error("pairwise_teacher", "is not used: the data's TAS-Balanced batches carry the"
                            + " teacher's scores (remove it)");
                }
                double alpha = objectiveConfig.number("alpha", 0.75);
                if (alpha > 0 && !modelConfig.has("inbatch_teacher")) {
                    throw modelConfig.error("inbatch_teacher", "is missing (objective.alpha = " + alpha
                            + " weighs the in-batch ColBERT teacher; set alpha 0 for pairwise Margin-MSE alone)");
                }
                var colbert = alpha > 0 ? TrainModels.colbert(modelConfig.section("inbatch_teacher")) : null;
                var batches = data.tasBalanced(objectiveName, tokenizer(root, studentConfig), () -> {
                    CrossEncoder pairwiseTeacher = TrainModels.crossEncoder(modelConfig.section("pairwise_teacher"));
                    pairwiseTeacher.eval();
                    return pairwiseTeacher;
                });
                yield new Setup<>(student, student::save,
                        new TasBalancedObjective(student, colbert, alpha),
                        batches, TrainModels.tokenizerDirectory(root, studentConfig), student);
            }
            case "rocketqav2" -> {
                TrainConfig retrieverConfig = modelConfig.section("retriever");
                DualEncoder retriever = TrainModels.dualEncoder(retrieverConfig);
                RocketQaV2Objective.Mode mode = RocketQaV2Objective.Mode.valueOf(objectiveConfig.choice("distillation",
                        "joint", List.of("joint", "static", "none")).toUpperCase(java.util.Locale.ROOT));
                if (mode == RocketQaV2Objective.Mode.NONE && modelConfig.has("reranker")) {
                    throw modelConfig.error("reranker", "is not used: objective.distillation 'none' trains the retriever on labels alone (remove it)");
                }
                CrossEncoder reranker = mode == RocketQaV2Objective.Mode.NONE ? null : TrainModels.crossEncoder(modelConfig.section("reranker"));
                RocketQaV2Objective objective = new RocketQaV2Objective(retriever, reranker, mode);
                var batches = data.listwise(objectiveName, tokenizer(root, retrieverConfig), objectiveConfig);
                ModelSaver saver = dir -> {
                    retriever.save(dir.resolve("retriever"));
                    if (mode == RocketQaV2Objective.Mode.JOINT) reranker.save(dir.resolve("reranker"));
                };
                yield new Setup<>(objective.jointModel(), saver, objective,
                        batches, TrainModels.tokenizerDirectory(root, retrieverConfig), retriever);
            }
            default -> {
                TrainConfig studentConfig = modelConfig.section("student");
                CrossEncoder student = TrainModels.crossEncoder(studentConfig);
                CrossEncoder teacher = TrainModels.crossEncoder(modelConfig.section("teacher"));
                int studentLayers = student.config().numLayers(), teacherLayers = teacher.config().numLayers();
                RankerDistillationLoss.Weights weights = new RankerDistillationLoss.Weights(
                        objectiveConfig.number("score_weight", 1), objectiveConfig.number("hidden_weight", 0),
                        objectiveConfig.number("attention_weight", 0),
                        objectiveConfig.choice("score_loss", "kl", List.of("kl", "mse")).equals("kl")
                                ? RankerDistillationLoss.ScoreLoss.KL : RankerDistillationLoss.ScoreLoss.MSE,
                        objectiveConfig.number("temperature", 1), (int) objectiveConfig.integer("group_size", 8));
                RankerDistillationLoss loss = new RankerDistillationLoss(weights, LayerMapping.uniform(studentLayers, teacherLayers),
                        student.config().hiddenSize(), teacher.config().hiddenSize(), TrainModels.seed(studentConfig), TrainModels.dtype(studentConfig));
                RankerDistillationObjective objective = new RankerDistillationObjective(student, teacher, loss);
                // The student reads the teacher's vocabulary.
                Path tokenizerDirectory = TrainModels.tokenizerDirectory(root, modelConfig.section("teacher"));
                yield new Setup<>(objective.trainableModel(), student::save, objective,
                        data.pairGroups(objectiveName, WordPieceTokenizer.fromDirectory(tokenizerDirectory), weights.groupSize()),
                        tokenizerDirectory, student);
            }
        };
        return run(setup, root, schedule, output);
    }

    /** What the objectives have in common once built. */
    private record Setup<B>(Module model, ModelSaver saver, Objective<B> objective, BatchSource<B> data, Path tokenizerDirectory,
                            Module evaluated) {}

    /** The tokenizer of the config's "tokenizer" directory, else of the model section's "init". */
    private static WordPieceTokenizer tokenizer(TrainConfig root, TrainConfig modelConfig) throws java.io.IOException {
        return WordPieceTokenizer.fromDirectory(TrainModels.tokenizerDirectory(root, modelConfig));
    }

    private <B> int run(Setup<B> setup, TrainConfig root, TrainConfig schedule, Path output) throws Exception {
        int accumulation = (int) schedule.integer("accumulation", 1);
        long steps;
        if (stepsOverride != null) steps = stepsOverride;
        else if (schedule.has("steps") == schedule.has("epochs")) throw schedule.error("steps", "or 'epochs' must be given (exactly one)");
        else if (schedule.has("steps")) steps = schedule.integer("steps", 1);
        else steps = TrainerOptions.stepsForEpochs((int) schedule.integer("epochs", 1), setup.data().batchesPerEpoch(), accumulation);

        TrainConfig opt = root.section("optimizer");
        double lr = opt.number("lr");
        Optimizer optimizer = switch (opt.choice("name", "adamw", List.of("adamw", "sgd"))) {
            case "adamw" -> new AdamW(setup.model().namedParameters(), lr, opt.number("beta1", 0.9), opt.number("beta2", 0.999),
                    opt.number("eps", 1e-8), opt.number("weight_decay", 0.01),
                    opt.bool("decay_biases_and_layer_norms", false) ? WeightDecayPolicy.NONE_EXEMPT : WeightDecayPolicy.BIAS_AND_LAYER_NORM_EXEMPT);
            default -> new Sgd(setup.model().namedParameters(), lr, opt.number("momentum", 0.0));
        };
        long warmup = schedule.integer("warmup_steps", 0);
        if (warmup > steps) throw schedule.error("warmup_steps", "(" + warmup + ") exceeds the run's " + steps + " steps");
        TrainEvaluation evaluation = root.has("evaluation") ? new TrainEvaluation(root.section("evaluation")) : null;
        TrainerOptions options = new TrainerOptions(steps, accumulation, schedule.number("max_grad_norm", 0),
                schedule.bool("linear_decay", true) ? new LinearWarmupSchedule(lr, warmup, steps) : null,
                schedule.integer("log_every", 1), schedule.integer("checkpoint_every", 0),
                evaluation == null ? 0 : evaluation.everySteps(), output, setup.tokenizerDirectory(), !noProgress);
        Trainer<B> trainer = new Trainer<>(setup.model(), setup.saver(), optimizer, setup.objective(), setup.data(), options);
        if (evaluation != null) {
            trainer.withEvaluation(evaluation.hook(setup.evaluated(), WordPieceTokenizer.fromDirectory(setup.tokenizerDirectory()),
                    trainer, output, System.out));
        }
        if (resume != null) trainer.resume(resume);
        if (until != null && (until < 1 || until > steps)) throw new IllegalArgumentException("--until " + until + " is not a step of this " + steps + "-step run");
        Trainer.Result result = until == null ? trainer.train() : trainer.trainUntil(until);
        if (until != null && until < steps && (result.lastCheckpoint() == null || !result.lastCheckpoint().endsWith("checkpoint-" + until))) {
            result = new Trainer.Result(result.steps(), result.lastLoss(), trainer.saveCheckpoint());
        }
        System.out.printf(java.util.Locale.ROOT, "{\"steps\":%d,\"last_loss\":%.6f,\"checkpoint\":\"%s\"}%n",
                result.steps(), result.lastLoss(), result.lastCheckpoint());
        return 0;
    }
}
