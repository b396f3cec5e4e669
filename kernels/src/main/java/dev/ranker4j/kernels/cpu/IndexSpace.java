package dev.ranker4j.kernels.cpu;

import dev.ranker4j.kernels.StridedLoop;

/**
 * A strided index space over several operands, simplified for fast loops: axes of size 1 are dropped and
 * neighbouring axes are merged wherever every operand walks them as one (stride[i] = stride[i+1]·shape[i+1]).
 * A contiguous tensor of any rank becomes one long row; a [rows, n] + bias[n] add becomes rows × n with the bias's
 * outer stride 0. Kernels then run an outer loop over {@link #rows()} and a tight inner loop over
 * {@link #rowLength()}, choosing a vector loop by the operands' inner strides. The output is always contiguous,
 * so it never blocks a merge.
 */
final class IndexSpace {
    private final int[] outerShape;
    private final int[][] outerStrides;
    private final int[] innerStrides;
    private final int rowLength;
    private final int rows;

    private IndexSpace(int[] outerShape, int[][] outerStrides, int[] innerStrides, int rowLength) {
        this.outerShape = outerShape;
        this.outerStrides = outerStrides;
        this.innerStrides = innerStrides;
        this.rowLength = rowLength;
        this.rows = (int) StridedLoop.size(outerShape);
    }

    /** Simplifies {@code shape} walked by each operand through its {@code strides}. */
    static IndexSpace of(String op, int[] shape, int[]... strides) {
        for (int[] s : strides) {
            if (s.length != shape.length) {
                throw new IllegalArgumentException(op + ": strides of rank " + s.length + " for a shape of rank "
                        + shape.length);
            }
        }
        int operands = strides.length;
        int[] keptShape = new int[shape.length + 1];
        int[][] keptStrides = new int[operands][shape.length + 1];
        int rank = 0;
        for (int axis = 0; axis < shape.length; axis++) {
            if (shape[axis] == 1) continue;
            if (shape[axis] == 0) return new IndexSpace(new int[]{0}, new int[operands][1], new int[operands], 0);
            boolean mergeable = rank > 0;
            for (int k = 0; k < operands && mergeable; k++) {
                mergeable = keptStrides[k][rank - 1] == strides[k][axis] * shape[axis];
            }
            if (mergeable) {
                keptShape[rank - 1] *= shape[axis];
                for (int k = 0; k < operands; k++) keptStrides[k][rank - 1] = strides[k][axis];
            } else {
                keptShape[rank] = shape[axis];
                for (int k = 0; k < operands; k++) keptStrides[k][rank] = strides[k][axis];
                rank++;
            }
        }
        if (rank == 0) { // a single element
            keptShape[0] = 1;
            rank = 1;
        }
        int[] outerShape = java.util.Arrays.copyOf(keptShape, rank - 1);
        int[][] outerStrides = new int[operands][];
        int[] innerStrides = new int[operands];
        for (int k = 0; k < operands; k++) {
            outerStrides[k] = java.util.Arrays.copyOf(keptStrides[k], rank - 1);
            innerStrides[k] = keptStrides[k][rank - 1];
        }
        return new IndexSpace(outerShape, outerStrides, innerStrides, keptShape[rank - 1]);
    }

    /** Number of rows (the product of all axes but the innermost). */
    int rows() {
        return rows;
    }

    /** Length of the innermost (merged) axis. */
    int rowLength() {
        return rowLength;
    }

    /** Stride of operand {@code operand} along the innermost axis. */
    int innerStride(int operand) {
        return innerStrides[operand];
    }

    /** A walker over the rows, starting at row {@code firstRow}; operand positions start from {@code offsets}. */
    StridedLoop rowWalker(int[] offsets, int firstRow) {
        StridedLoop loop = new StridedLoop(outerShape, offsets, outerStrides);
        loop.moveTo(firstRow);
        return loop;
    }

    // ------------------------------------------------------------------------------------------ parallel walk

    /** Work on part of one row: elements [from, to) of row {@code row}; the walker holds the row's start positions. */
    @FunctionalInterface
    interface RowBlockTask {
        void run(StridedLoop walker, int row, int from, int to);
    }

    /**
     * Cuts rows × rowLength into tasks of at most one grain (a long row is cut in grain-sized blocks, short rows
     * are grouped), hands ranges of tasks to the pool, and walks the rows incrementally inside each range.
     */
    void forRowBlocks(WorkSplit split, int[] offsets, RowBlockTask body) {
        int len = rowLength;
        if (rows == 0 || len == 0) return;
        int grain = split.grain();
        int blocksPerRow = (len + grain - 1) / grain;
        long tasks = (long) rows * blocksPerRow;
        if (tasks > Integer.MAX_VALUE) throw new IllegalArgumentException("index space too large: " + tasks + " tasks");
        int minTasksPerChunk = blocksPerRow > 1 ? 1 : split.rowsPerGrain(len);
        split.parallel().forRange((int) tasks, minTasksPerChunk, (from, to) -> {
            int row = from / blocksPerRow, block = from % blocksPerRow;
            StridedLoop walker = rowWalker(offsets, row);
            for (int task = from; task < to; task++) {
                body.run(walker, row, block * grain, Math.min(len, (block + 1) * grain));
                if (++block == blocksPerRow) {
                    block = 0;
                    row++;
                    walker.advance();
                }
            }
        });
    }
}
