package dev.ranker4j.training.optim;

/**
 * Hugging Face's {@code get_linear_schedule_with_warmup}: the learning rate rises linearly from 0 to its peak over
 * the warm-up steps, then falls linearly to 0 at the last step.
 * <pre>
 *   factor(t) = t / max(1, W)                              t &lt; W
 *             = max(0, (T − t) / max(1, T − W))            otherwise
 *   lr(t)     = peak · factor(t)
 * </pre>
 * t is the number of optimizer steps already taken (HF's scheduler counter), so the first update uses factor(0) = 0
 * when W &gt; 0, exactly as in Hugging Face.
 */
public record LinearWarmupSchedule(double peakLearningRate, long warmupSteps, long totalSteps) {

    public LinearWarmupSchedule {
        if (!(peakLearningRate >= 0)) throw new IllegalArgumentException("schedule: learning rate must be >= 0, got " + peakLearningRate);
        if (warmupSteps < 0 || totalSteps < 1 || warmupSteps > totalSteps) {
            throw new IllegalArgumentException("schedule: need 0 <= warmup steps (" + warmupSteps + ") <= total steps (" + totalSteps + ") and total >= 1");
        }
    }

    /** The learning rate for the update that follows {@code step} completed updates. */
    public double learningRate(long step) {
        double factor = step < warmupSteps
                ? (double) step / Math.max(1, warmupSteps)
                : Math.max(0.0, (double) (totalSteps - step) / Math.max(1, totalSteps - warmupSteps));
        return peakLearningRate * factor;
    }
}
