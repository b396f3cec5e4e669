package dev.ranker4j.kernels.cpu;

/**
 * How one product's output C[m, n] is divided among threads: into contiguous runs of micro-tile rows (the usual
 * case, m = tokens is large) or, when there are fewer row slivers than columns slivers, of micro-tile columns (a
 * few rows times a wide matrix, e.g. a vocabulary projection). Splitting on micro-tile boundaries keeps every
 * thread's tiles full except at the true edges of C.
 *
 * @param byRows           true: a task is {@code unit} rows of C; false: {@code unit} columns
 * @param unit             rows (MR) or columns (NR) of C per task
 * @param tasks            number of tasks covering C
 * @param minTasksPerChunk fewest tasks worth giving one thread (see {@link CpuGemm#MIN_FMAS_PER_TASK})
 */
record OutputSplit(boolean byRows, int unit, int tasks, int minTasksPerChunk) {

    static OutputSplit plan(int m, int n, int k, int mr, int nr, int threads) {
        int rowSlivers = GemmLoops.ceilDiv(m, mr);
        int colSlivers = GemmLoops.ceilDiv(n, nr);
        boolean byRows = rowSlivers >= 4 * threads || rowSlivers >= colSlivers;
        int unit = byRows ? mr : nr;
        long fmasPerTask = Math.max(1L, (long) unit * (byRows ? n : m) * k);
        int minTasks = (int) Math.max(1L, Math.min(Integer.MAX_VALUE, CpuGemm.MIN_FMAS_PER_TASK / fmasPerTask));
        return new OutputSplit(byRows, unit, byRows ? rowSlivers : colSlivers, minTasks);
    }

    /** Runs tasks [from, to) of an m × n × k product on {@code kernel}, whose operands are already bound. */
    void run(GemmLoops kernel, int from, int to, int m, int n, int k) {
        int start = from * unit;
        if (byRows) kernel.run(start, Math.min(m, to * unit), 0, n, k);
        else kernel.run(0, m, start, Math.min(n, to * unit), k);
    }
}
