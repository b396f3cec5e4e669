package dev.ranker4j.training.train;

import dev.ranker4j.training.optim.LinearWarmupSchedule;

import java.nio.file.Path;

/**
 * How a run proceeds.
 *
 * @param totalSteps        optimizer steps of the whole run
 * @param accumulation      micro-batches whose gradients are summed (each loss scaled by 1/accumulation) per step
 * @param maxGradNorm       global-norm clipping threshold; 0 turns clipping off
 * @param schedule          learning rate per step; null keeps the optimizer's rate
 * @param logEvery          steps between log lines
 * @param checkpointEvery   steps between checkpoints (0: only at the end)
 * @param evalEvery         steps between evaluations (0: only at the end, if a hook is set)
 * @param outputDirectory   where {@code checkpoint-<step>/} directories and {@code train_log.jsonl} go
 * @param tokenizerDirectory a directory whose tokenizer files are copied into each checkpoint (may be null)
 * @param progressBar       show a console progress bar
 */
public record TrainerOptions(long totalSteps, int accumulation, double maxGradNorm, LinearWarmupSchedule schedule,
                             long logEvery, long checkpointEvery, long evalEvery, Path outputDirectory,
                             Path tokenizerDirectory, boolean progressBar) {
    public TrainerOptions {
        if (totalSteps < 1) throw new IllegalArgumentException("trainer: total steps must be >= 1, got " + totalSteps);
        if (accumulation < 1) throw new IllegalArgumentException("trainer: gradient accumulation must be >= 1, got " + accumulation);
        if (!(maxGradNorm >= 0)) throw new IllegalArgumentException("trainer: max gradient norm must be >= 0, got " + maxGradNorm);
        if (logEvery < 1) throw new IllegalArgumentException("trainer: log interval must be >= 1, got " + logEvery);
        if (checkpointEvery < 0 || evalEvery < 0) throw new IllegalArgumentException("trainer: intervals must be >= 0");
        java.util.Objects.requireNonNull(outputDirectory, "outputDirectory");
    }

    /** Steps for {@code epochs} passes over a source of {@code batchesPerEpoch} micro-batches. */
    public static long stepsForEpochs(int epochs, long batchesPerEpoch, int accumulation) {
        if (batchesPerEpoch <= 0) throw new IllegalArgumentException("trainer: the data source has no epochs; give steps instead");
        return Math.max(1, epochs * batchesPerEpoch / accumulation);
    }
}
