package dev.ranker4j.training.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ranker4j.autograd.nn.Module;
import dev.ranker4j.tensor.ActivationArena;
import dev.ranker4j.training.optim.GradientClipping;
import dev.ranker4j.training.optim.Optimizer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The training loop. One optimizer step is:
 * <pre>
 *   for k in 0 .. accumulation−1:   L_k = objective(batch[step·accumulation + k]);  backward(L_k)
 *   g ← g / accumulation            (the gradient of the mean of the micro-batch losses)
 *   clip the global gradient norm to maxGradNorm (if set)
 *   lr = schedule(step);  optimizer.step();  zero the gradients
 * </pre>
 * Batches are addressed by index ({@link BatchSource}), the dropout generators and optimizer moments are saved in
 * every checkpoint ({@link TrainerState}), so {@link #resume} followed by {@link #train} reproduces the uninterrupted
 * run bit for bit. A loss or a gradient norm that is not finite stops the run with a {@link NonFiniteTraining}
 * naming the step and the first parameter that is not finite, before anything of that step is logged or saved. The model is in training mode (dropout on) while stepping and in evaluation mode for the hook.
 *
 * @param <B> batch type
 */
public final class Trainer<B> {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Files of a Hugging Face tokenizer, copied into checkpoints when present. */
    private static final List<String> TOKENIZER_FILES = List.of("tokenizer.json", "tokenizer_config.json", "vocab.txt",
            "special_tokens_map.json");

    private final Module model;
    private final ModelSaver saver;
    private final Optimizer optimizer;
    private final Objective<B> objective;
    private final BatchSource<B> data;
    private final TrainerOptions options;
    private EvaluationHook evaluationHook;
    private long step;
    /** Where each step's tensors live (see {@link ActivationArena}). */
    private final ActivationArena arena = new ActivationArena();

    /** @param model every trainable parameter (for joint training, a module holding both models) */
    public Trainer(Module model, ModelSaver saver, Optimizer optimizer, Objective<B> objective, BatchSource<B> data,
                   TrainerOptions options) {
        this.model = model;
        this.saver = saver;
        this.optimizer = optimizer;
        this.objective = objective;
        this.data = data;
        this.options = options;
    }

    public Trainer<B> withEvaluation(EvaluationHook hook) {
        this.evaluationHook = hook;
        return this;
    }

    /** Steps completed so far. */
    public long step() {
        return step;
    }

    /** What a run ends with. */
    public record Result(long steps, double lastLoss, Path lastCheckpoint) {}

    /** Trains from the current step to {@code totalSteps}, writing checkpoints and the JSONL log. */
    public Result train() throws IOException {
        return trainUntil(options.totalSteps());
    }

    /** Trains up to step {@code untilStep} (≤ total steps; the schedule still spans the whole run). */
    public Result trainUntil(long untilStep) throws IOException {
        Files.createDirectories(options.outputDirectory());
        Path logFile = options.outputDirectory().resolve("train_log.jsonl");
        double lastLoss = Double.NaN;
        Path lastCheckpoint = null;
        try (BufferedWriter log = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
             ProgressBar bar = options.progressBar() ? new ProgressBarBuilder().setTaskName("train").setInitialMax(options.totalSteps())
                     .setStyle(ProgressBarStyle.ASCII).startsFrom(step, java.time.Duration.ZERO).build() : null) {
            model.train();
            while (step < untilStep) {
                long start = System.nanoTime();
                double loss = 0;
                int examples = 0;
                Map<String, Double> parts = new LinkedHashMap<>();
                double gradNorm, lr;
                // The step's tensors come from the arena and go back to it at the end of the block: after the first
                // steps a step allocates almost nothing (ActivationArena). Only numbers leave the block.
                try (ActivationArena.Step ignored = arena.begin()) {
                    for (int k = 0; k < options.accumulation(); k++) {
                        B batch = data.batch(step * options.accumulation() + k);
                        Objective.Loss l = objective.loss(batch);
                        double value = l.total().item();
                        if (!Double.isFinite(value)) throw NonFiniteTraining.loss(step + 1, k, value, model);
                        if (!l.gradientsComputed()) l.total().backward();
                        loss += value / options.accumulation();
                        l.parts().forEach((name, v) -> parts.merge(name, v / options.accumulation(), Double::sum));
                        examples += objective.examples(batch);
                    }
                    if (options.accumulation() > 1) {
                        for (var p : optimizer.parameters().values()) if (p.grad() != null) p.grad().mulInPlace(1.0 / options.accumulation());
                    }
                    double norm = GradientClipping.globalNorm(optimizer.parameters().values());
                    if (!Double.isFinite(norm)) throw NonFiniteTraining.gradient(step + 1, norm, optimizer.parameters());
                    if (options.maxGradNorm() > 0) GradientClipping.scale(optimizer.parameters().values(), options.maxGradNorm(), norm);
                    gradNorm = options.maxGradNorm() > 0 ? norm : Double.NaN;
                    if (options.schedule() != null) optimizer.setLearningRate(options.schedule().learningRate(step));
                    lr = optimizer.learningRate();
                    optimizer.step();
                    optimizer.zeroGrad();
                }
                step++;
                lastLoss = loss;
                double seconds = (System.nanoTime() - start) / 1e9;
                if (bar != null) {
                    bar.stepTo(step);
                    bar.setExtraMessage(String.format(" loss %.4f", loss));
                }
                if (step % options.logEvery() == 0 || step == untilStep) {
                    ObjectNode line = JSON.createObjectNode().put("step", step).put("loss", loss).put("lr", lr)
                            .put("examples_per_s", examples / seconds);
                    if (!Double.isNaN(gradNorm)) line.put("grad_norm", gradNorm);
                    parts.forEach(line::put);
                    log.write(JSON.writeValueAsString(line));
                    log.newLine();
                    log.flush();
                }
                if (evaluationHook != null && options.evalEvery() > 0 && step % options.evalEvery() == 0) evaluate(log);
                if (options.checkpointEvery() > 0 && step % options.checkpointEvery() == 0) lastCheckpoint = saveCheckpoint();
            }
            if (evaluationHook != null && (options.evalEvery() == 0 || step % options.evalEvery() != 0)) evaluate(log);
            if (step == options.totalSteps() && (options.checkpointEvery() == 0 || step % options.checkpointEvery() != 0)) {
                lastCheckpoint = saveCheckpoint();
            }
        }
        return new Result(step, lastLoss, lastCheckpoint);
    }

    private void evaluate(BufferedWriter log) throws IOException {
        model.eval();
        try {
            Map<String, Double> metrics = evaluationHook.evaluate(step);
            ObjectNode line = JSON.createObjectNode().put("step", step);
            // JSON has no NaN: a metric that could not be computed is null.
            metrics.forEach((k, v) -> {
                if (v != null && Double.isFinite(v)) line.put("eval_" + k, v);
                else line.putNull("eval_" + k);
            });
            log.write(JSON.writeValueAsString(line));
            log.newLine();
            log.flush();
        } finally {
            model.train();
        }
    }

    /**
     * Writes {@code checkpoint-<step>/}: the model's HF files, tokenizer files, and the trainer state. Everything is
     * written into a temporary sibling directory first and renamed into place, so a crash never leaves a
     * half-written checkpoint under the final name; an existing checkpoint of that step is replaced only after the
     * new one is complete.
     */
    public Path saveCheckpoint() throws IOException {
        return saveCheckpoint(options.outputDirectory().resolve("checkpoint-" + step));
    }

    /** Writes the checkpoint of the current step to {@code target} (a directory of the output directory), as above. */
    public Path saveCheckpoint(Path target) throws IOException {
        Path temporary = Files.createTempDirectory(target.toAbsolutePath().getParent(), "." + target.getFileName() + "-");
        try {
            saver.save(temporary);
            if (options.tokenizerDirectory() != null) {
                // Into the checkpoint and into every model directory the saver wrote beside others (RocketQAv2's
                // retriever/ and reranker/): each must load on its own in encode, rerank or transformers. A model
                // directory is one with weights; a sentence-transformers module such as 1_Pooling/ has a config.json
                // but no weights and no use for a tokenizer.
                List<Path> modelDirectories = new ArrayList<>(List.of(temporary));
                try (var entries = Files.list(temporary)) {
                    entries.filter(d -> Files.isRegularFile(d.resolve("model.safetensors"))).sorted().forEach(modelDirectories::add);
                }
                for (Path modelDirectory : modelDirectories) {
                    for (String name : TOKENIZER_FILES) {
                        Path source = options.tokenizerDirectory().resolve(name);
                        if (Files.isRegularFile(source)) Files.copy(source, modelDirectory.resolve(name));
                    }
                }
            }
            TrainerState.write(temporary, model, optimizer, step);
            if (Files.exists(target)) {
                Path old = Files.createTempDirectory(target.toAbsolutePath().getParent(), ".replaced-" + target.getFileName() + "-");
                Files.delete(old);
                Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
                deleteTree(old);
            } else {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
            }
            return target;
        } catch (IOException | RuntimeException e) {
            deleteTree(temporary);
            throw e;
        }
    }

    /**
     * Continues from a checkpoint written by {@link #saveCheckpoint}: parameters, optimizer, dropout generators, step.
     * The log keeps what happened up to that step; lines of later steps (written before an interruption, and about
     * to be written again) are dropped, so each step is logged once.
     */
    public void resume(Path checkpoint) throws IOException {
        step = TrainerState.read(checkpoint, model, optimizer);
        Path logFile = options.outputDirectory().resolve("train_log.jsonl");
        if (!Files.isRegularFile(logFile)) return;
        List<String> kept = new ArrayList<>();
        for (String line : Files.readAllLines(logFile, StandardCharsets.UTF_8)) {
            if (line.isBlank()) continue;
            JsonNode node;
            try {
                node = JSON.readTree(line);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                continue; // a line cut short by the interruption
            }
            if (node.path("step").asLong(Long.MAX_VALUE) <= step) kept.add(line);
        }
        dev.ranker4j.files.AtomicFiles.writeText(logFile, out -> {
            for (String line : kept) out.write(line + "\n");
        });
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) return;
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
