package dev.ranker4j.kernels.cpu;

/**
 * How CpuBackend cuts a call into tasks for its {@link Parallel} pool.
 *
 * <p>The one tuning knob is the grain: the fewest elements worth handing to another thread. A hand-off (queueing,
 * waking a parked worker, joining) costs on the order of 10 µs; a memory-bound kernel streams roughly 10 GB/s per
 * core, so 32 Ki floats (128 KiB in, as much out: about 25 µs) is where a second thread starts to pay. Calls smaller
 * than one grain run on the calling thread.
 *
 * <p>Splits depend only on the sizes and the grain, never on the thread count or on timing: elementwise work is cut
 * into blocks of exactly one grain (a multiple of every vector length, so each element is computed by the same
 * vector lane or scalar tail however many threads run), and row kernels give each row to one thread whole. So
 * every kernel's result is bitwise the same for 1, 2 or 3 threads.
 */
record WorkSplit(Parallel parallel, int grain) {

    /** The default grain: 32 Ki elements (see the class comment for the arithmetic). */
    static final int DEFAULT_GRAIN = 1 << 15;

    /** Every grain is rounded up to a multiple of this (the widest vector has 16 floats; 64 leaves room). */
    static final int GRAIN_ALIGNMENT = 64;

    WorkSplit {
        if (grain < 1) throw new IllegalArgumentException("grain must be >= 1, got " + grain);
        grain = (grain + GRAIN_ALIGNMENT - 1) / GRAIN_ALIGNMENT * GRAIN_ALIGNMENT;
    }

    /** Runs {@code body} over {@code [0, n)} in blocks of one grain, several blocks per thread when n is large. */
    void forElements(int n, Parallel.RangeTask body) {
        int blocks = (int) (((long) n + grain - 1) / grain);
        parallel.forRange(blocks, 1, (fromBlock, toBlock) ->
                body.run(fromBlock * grain, (int) Math.min(n, (long) toBlock * grain)));
    }

    /** Runs {@code body} over rows {@code [0, rows)} of {@code rowLength} elements, about a grain or more per thread. */
    void forRows(int rows, long rowLength, Parallel.RangeTask body) {
        parallel.forRange(rows, rowsPerGrain(rowLength), body);
    }

    /** The fewest whole rows of {@code rowLength} elements that make up one grain. */
    int rowsPerGrain(long rowLength) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, (grain + rowLength - 1) / Math.max(1, rowLength)));
    }
}
