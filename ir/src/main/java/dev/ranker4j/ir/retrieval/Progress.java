package dev.ranker4j.ir.retrieval;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Reports how far a long job is. {@link #console} draws a progress bar with rate and ETA on standard error (so
 * standard output stays clean for results); {@link #NONE} is silent, for tests and library use.
 */
public interface Progress extends AutoCloseable {
    /** Silent progress. */
    Progress NONE = new Progress() {
        @Override
        public void advance(long steps) {}

        @Override
        public void close() {}
    };

    /** {@code steps} more units of work are done. */
    void advance(long steps);

    /** Finishes the display. */
    @Override
    void close();

    /** A progress bar on standard error: {@code task 42% [====   ] 2180/5183 (0:01:05 / 0:01:30) 33.5 docs/s}. */
    static Progress console(String task, long total, String unit) {
        ProgressBar bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(total)
                .setStyle(ProgressBarStyle.ASCII).setUnit(" " + unit, 1).showSpeed().setUpdateIntervalMillis(500)
                .continuousUpdate().build();
        return new Progress() {
            @Override
            public void advance(long steps) {
                bar.stepBy(steps);
            }

            @Override
            public void close() {
                bar.close();
            }
        };
    }
}
