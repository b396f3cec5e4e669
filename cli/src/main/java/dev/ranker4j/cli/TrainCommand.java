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
import dev.ranker4j.hfio.config.TransformerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code ranker4j train CONFIG.json}: trains a ranker as one JSON file describes (model, objective, data, sampler,
 * optimizer, schedule, output); see {@code examples/} and docs/TRAINING.md. Writes {@code checkpoint-<step>/}
 * directories (Hugging Face files + trainer state + the config, {@code train_config.json}) and {@code train_log.jsonl}
 * under {@code output}; with {@code --resume DIR} continues a run from one of its checkpoints (with the same config),
 * with {@code --overwrite} replaces an earlier run in {@code output} ({@link TrainOutput}). The config is checked
 * whole before anything is loaded ({@link TrainConfigSchema}); training stops on a loss that is not finite.
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

    @Option(names = "--overwrite", description = "Start afresh in an OUTPUT that already holds a run: its checkpoints,"
            + " best-checkpoint and train_log.jsonl are deleted first (other files are kept).")
    boolean overwrite;

    @Option(names = "--check", description = "Only check the config's fields (names, explicit nulls, types, ranges) against the schema"
            + " of its objective, data format and optimizer, print ok and exit.")
    boolean check;

    @Option(names = "--no-progress", description = "No progress bar (logs only).")
    boolean noProgress;

    @Mixin
    BackendOption backend;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        backend.install(); // weights change every step, so none is marked device-resident
        PrintWriter log = spec.commandLine().getErr();
        TrainConfig root = TrainConfig.read(configFile);
        if (check) {
            spec.commandLine().getOut().println("train config " + configFile + ": ok");
            spec.commandLine().getOut().flush();
            return 0;
        }
        if (stepsOverride != null && stepsOverride < 1) throw new IllegalArgumentException("--steps must be >= 1, got " + stepsOverride);
        if (resume != null && overwrite) throw new IllegalArgumentException("--resume continues the run in OUTPUT; --overwrite deletes it: give one of them");
        Path output = root.path("output");
        TrainOutput outputDirectory = new TrainOutput(output);
        if (resume == null) outputDirectory.requireFreshOrOverwrite(overwrite, root);
        TrainConfig objectiveConfig = root.section("objective");
        String objectiveName = objectiveConfig.choice("name", null, OBJECTIVES);
        TrainConfig modelConfig = root.section("model");
        TrainData data = new TrainData(root);
        TrainConfig schedule = root.section("schedule");

        Setup<?> setup = switch (objectiveName) {
            case "lce", "bce" -> {
                CrossEncoder model = TrainModels.crossEncoder(modelConfig, true, log);
                WordPieceTokenizer tokenizer = tokenizer(root, modelConfig);
                int groupSize = objectiveConfig.count("group_size", 8, 2);
                List<Reader> readers = List.of(new Reader("model", model.config(), tokenizer));
                yield objectiveName.equals("lce")
                        ? new Setup<>(model, model::save,
                        new CrossEncoderLceObjective(model, objectiveConfig.count("gradient_cache_chunk", 0, 0)),
                        data.pairGroups(objectiveName, tokenizer, groupSize),
                        TrainModels.tokenizerDirectory(root, modelConfig), model, readers)
                        : new Setup<>(model, model::save, new CrossEncoderBceObjective(model),
                        data.labelledPairs(objectiveName, tokenizer, groupSize), TrainModels.tokenizerDirectory(root, modelConfig),
                        model, readers);
            }
            case "colbert-lce" -> {
                var colbert = TrainModels.colbert(modelConfig);
                colbert.train();
                WordPieceTokenizer tokenizer = tokenizer(root, modelConfig);
                yield new Setup<>(colbert, colbert::save, new ColbertLceObjective(colbert),
                        data.colbertGroups(objectiveName, tokenizer, objectiveConfig.count("group_size", 8, 2)),
                        TrainModels.tokenizerDirectory(root, modelConfig), colbert,
                        List.of(new Reader("model", colbert.config(), tokenizer)));
            }
            case "tas-balanced" -> {
                TrainConfig studentConfig = modelConfig.section("student");
                DualEncoder student = TrainModels.dualEncoder(studentConfig);
                if (data.hasTeacherScores() && modelConfig.has("pairwise_teacher")) {
                    throw modelConfig.error("pairwise_teacher", "is not used: the data's TAS-Balanced batches carry the"
                            + " teacher's scores (remove it)");
                }
                double alpha = objectiveConfig.number("alpha", 0.75, 0, 1);
                if (alpha > 0 && !modelConfig.has("inbatch_teacher")) {
                    throw modelConfig.error("inbatch_teacher", "is missing (objective.alpha = " + alpha
                            + " weighs the in-batch ColBERT teacher; set alpha 0 for pairwise Margin-MSE alone)");
                }
                if (alpha == 0 && modelConfig.has("inbatch_teacher")) {
                    throw modelConfig.error("inbatch_teacher", "is not used: objective.alpha is 0 (remove it, or weigh it with alpha > 0)");
                }
                var colbert = alpha > 0 ? TrainModels.colbert(modelConfig.section("inbatch_teacher")) : null;
                WordPieceTokenizer tokenizer = tokenizer(root, studentConfig);
                List<Reader> readers = new ArrayList<>(List.of(new Reader("model.student", student.config(), tokenizer)));
                if (colbert != null) readers.add(new Reader("model.inbatch_teacher", colbert.config(), tokenizer));
                var batches = data.tasBalanced(objectiveName, tokenizer, () -> {
                    CrossEncoder pairwiseTeacher = TrainModels.crossEncoder(modelConfig.section("pairwise_teacher"), false, log);
                    pairwiseTeacher.eval();
                    readers.add(new Reader("model.pairwise_teacher", pairwiseTeacher.config(), tokenizer));
                    return pairwiseTeacher;
                });
                yield new Setup<>(student, student::save,
                        new TasBalancedObjective(student, colbert, alpha),
                        batches, TrainModels.tokenizerDirectory(root, studentConfig), student, readers);
            }
            case "rocketqav2" -> {
                TrainConfig retrieverConfig = modelConfig.section("retriever");
                DualEncoder retriever = TrainModels.dualEncoder(retrieverConfig);
                RocketQaV2Objective.Mode mode = RocketQaV2Objective.Mode.valueOf(objectiveConfig.choice("distillation",
                        "joint", List.of("joint", "static", "none")).toUpperCase(java.util.Locale.ROOT));
                if (mode == RocketQaV2Objective.Mode.NONE && modelConfig.has("reranker")) {
                    throw modelConfig.error("reranker", "is not used: objective.distillation 'none' trains the retriever on labels alone (remove it)");
                }
                CrossEncoder reranker = mode == RocketQaV2Objective.Mode.NONE ? null
                        : TrainModels.crossEncoder(modelConfig.section("reranker"), mode == RocketQaV2Objective.Mode.JOINT, log);
                RocketQaV2Objective objective = new RocketQaV2Objective(retriever, reranker, mode);
                WordPieceTokenizer tokenizer = tokenizer(root, retrieverConfig);
                var batches = data.listwise(objectiveName, tokenizer, objectiveConfig);
                ModelSaver saver = dir -> {
                    retriever.save(dir.resolve("retriever"));
                    if (mode == RocketQaV2Objective.Mode.JOINT) reranker.save(dir.resolve("reranker"));
                };
                List<Reader> readers = new ArrayList<>(List.of(new Reader("model.retriever", retriever.config(), tokenizer)));
                if (reranker != null) readers.add(new Reader("model.reranker", reranker.config(), tokenizer));
                yield new Setup<>(objective.jointModel(), saver, objective,
                        batches, TrainModels.tokenizerDirectory(root, retrieverConfig), retriever, readers);
            }
            default -> {
                TrainConfig studentConfig = modelConfig.section("student");
                CrossEncoder student = TrainModels.crossEncoder(studentConfig, true, log);
                CrossEncoder teacher = TrainModels.crossEncoder(modelConfig.section("teacher"), false, log);
                int studentLayers = student.config().numLayers(), teacherLayers = teacher.config().numLayers();
                if (studentLayers > teacherLayers) {
                    throw studentConfig.error(studentConfig.has("layers") ? "layers" : "config", "gives the student "
                            + studentLayers + " layers, more than the teacher's " + teacherLayers + " (layers are mapped onto the teacher's)");
                }
                RankerDistillationLoss.Weights weights = new RankerDistillationLoss.Weights(
                        objectiveConfig.nonNegative("score_weight", 1), objectiveConfig.nonNegative("hidden_weight", 0),
                        objectiveConfig.nonNegative("attention_weight", 0),
                        objectiveConfig.choice("score_loss", "kl", List.of("kl", "mse")).equals("kl")
                                ? RankerDistillationLoss.ScoreLoss.KL : RankerDistillationLoss.ScoreLoss.MSE,
                        objectiveConfig.positive("temperature", 1), objectiveConfig.count("group_size", 8, 2));
                RankerDistillationLoss loss = new RankerDistillationLoss(weights, LayerMapping.uniform(studentLayers, teacherLayers),
                        student.config().hiddenSize(), teacher.config().hiddenSize(), TrainModels.seed(studentConfig), TrainModels.dtype(studentConfig));
                RankerDistillationObjective objective = new RankerDistillationObjective(student, teacher, loss);
                // The student reads the teacher's vocabulary.
                Path tokenizerDirectory = TrainModels.tokenizerDirectory(root, modelConfig.section("teacher"));
                WordPieceTokenizer tokenizer = WordPieceTokenizer.fromDirectory(tokenizerDirectory);
                yield new Setup<>(objective.trainableModel(), student::save, objective,
                        data.pairGroups(objectiveName, tokenizer, weights.groupSize()), tokenizerDirectory, student,
                        List.of(new Reader("model.student", student.config(), tokenizer),
                                new Reader("model.teacher", teacher.config(), tokenizer)));
            }
        };
        for (Reader reader : setup.readers()) reader.require(data, root);
        return run(setup, root, schedule, outputDirectory, log);
    }

    /** A model that reads the training sequences: its config section, its config.json and the tokenizer feeding it. */
    private record Reader(String section, TransformerConfig config, WordPieceTokenizer tokenizer) {
        /** The sequences fit its position embeddings and the tokenizer's ids its vocabulary. */
        void require(TrainData data, TrainConfig root) {
            TrainModels.requireFits(data.section(), "max_length", data.maxLength(), config, section);
            if (tokenizer.vocabSize() > config.vocabSize()) {
                throw root.error(root.has("tokenizer") ? "tokenizer" : section + ".init", "gives token ids up to "
                        + (tokenizer.vocabSize() - 1) + " but " + section + " has vocab_size " + config.vocabSize()
                        + " (the tokenizer and the model do not belong together)");
            }
        }
    }

    /** What the objectives have in common once built. */
    private record Setup<B>(Module model, ModelSaver saver, Objective<B> objective, BatchSource<B> data, Path tokenizerDirectory,
                            Module evaluated, List<Reader> readers) {}

    /** The tokenizer of the config's "tokenizer" directory, else of the model section's "init". */
    private static WordPieceTokenizer tokenizer(TrainConfig root, TrainConfig modelConfig) throws java.io.IOException {
        return WordPieceTokenizer.fromDirectory(TrainModels.tokenizerDirectory(root, modelConfig));
    }

    private <B> int run(Setup<B> setup, TrainConfig root, TrainConfig schedule, TrainOutput outputDirectory,
                        PrintWriter log) throws Exception {
        Path output = outputDirectory.path();
        int accumulation = schedule.count("accumulation", 1, 1);
        long steps;
        if (schedule.has("steps") == schedule.has("epochs")) {
            if (stepsOverride == null || schedule.has("steps")) throw schedule.error("steps", "or 'epochs' must be given (exactly one)");
        }
        long configured = schedule.has("steps") ? schedule.integer("steps", 1, 1, Long.MAX_VALUE)
                : schedule.has("epochs") ? TrainerOptions.stepsForEpochs(schedule.count("epochs", 1, 1), setup.data().batchesPerEpoch(), accumulation)
                : stepsOverride;
        steps = stepsOverride != null ? stepsOverride : configured;

        TrainConfig opt = root.section("optimizer");
        double lr = opt.positive("lr", Double.NaN);
        Optimizer optimizer = switch (opt.choice("name", "adamw", List.of("adamw", "sgd"))) {
            case "adamw" -> new AdamW(setup.model().namedParameters(), lr, opt.number("beta1", 0.9, 0, 0.999999),
                    opt.number("beta2", 0.999, 0, 0.999999999), opt.positive("eps", 1e-8), opt.nonNegative("weight_decay", 0.01),
                    opt.bool("decay_biases_and_layer_norms", false) ? WeightDecayPolicy.NONE_EXEMPT : WeightDecayPolicy.BIAS_AND_LAYER_NORM_EXEMPT);
            default -> new Sgd(setup.model().namedParameters(), lr, opt.number("momentum", 0.0, 0, 0.999999));
        };
        long warmup = schedule.integer("warmup_steps", 0, 0, Long.MAX_VALUE);
        if (warmup > steps) throw schedule.error("warmup_steps", "is " + warmup + ", more than the run's " + steps + " steps");
        TrainEvaluation evaluation = root.has("evaluation") ? new TrainEvaluation(root.section("evaluation")) : null;
        if (evaluation != null) {
            for (Reader reader : setup.readers()) {
                if (reader.section().equals("model") || reader.section().equals("model.student") || reader.section().equals("model.retriever")) {
                    TrainModels.requireFits(evaluation.section(), "max_length", evaluation.maxLength(), reader.config(), reader.section());
                }
            }
        }
        // Every checkpoint records the config it was trained with, so a resume with another one is refused.
        ModelSaver saver = dir -> {
            setup.saver().save(dir);
            TrainOutput.writeConfig(dir, root);
        };
        TrainerOptions options = new TrainerOptions(steps, accumulation, schedule.nonNegative("max_grad_norm", 0),
                schedule.bool("linear_decay", true) ? new LinearWarmupSchedule(lr, warmup, steps) : null,
                schedule.integer("log_every", 1, 1, Long.MAX_VALUE), schedule.integer("checkpoint_every", 0, 0, Long.MAX_VALUE),
                evaluation == null ? 0 : evaluation.everySteps(), output, setup.tokenizerDirectory(), !noProgress);
        Trainer<B> trainer = new Trainer<>(setup.model(), saver, optimizer, setup.objective(), setup.data(), options);
        if (evaluation != null) {
            trainer.withEvaluation(evaluation.hook(setup.evaluated(), WordPieceTokenizer.fromDirectory(setup.tokenizerDirectory()),
                    trainer, output, System.out));
        }
        if (until != null && (until < 1 || until > steps)) throw new IllegalArgumentException("--until " + until + " is not a step of this " + steps + "-step run");
        if (resume != null) {
            TrainOutput.requireSameRun(resume, root, log);
            outputDirectory.requireResumable(resume);
            outputDirectory.removeStaleTemporaries(log);
            trainer.resume(resume);
        } else {
            outputDirectory.start(overwrite, log);
        }
        Trainer.Result result = until == null ? trainer.train() : trainer.trainUntil(until);
        if (until != null && until < steps && (result.lastCheckpoint() == null || !result.lastCheckpoint().endsWith("checkpoint-" + until))) {
            result = new Trainer.Result(result.steps(), result.lastLoss(), trainer.saveCheckpoint());
        }
        System.out.printf(java.util.Locale.ROOT, "{\"steps\":%d,\"last_loss\":%s,\"checkpoint\":%s}%n",
                result.steps(), Json.number(result.lastLoss(), "%.6f"),
                result.lastCheckpoint() == null ? "null" : Json.quote(result.lastCheckpoint().toString()));
        return 0;
    }
}
