package dev.ranker4j.kernels.cpu;

import dev.ranker4j.kernels.BinaryOp;

/**
 * Embedding lookup (gather) and its backward (scatter-add).
 *
 * <p>Gather copies whole rows: {@link System#arraycopy} per id, rows split across threads; pure bandwidth (read and
 * write 4·dim bytes per id).
 *
 * <p>Scatter-add must give the same sums however the work is split, even when an id repeats (a frequent token in a
 * batch). It partitions by DESTINATION: each thread owns a contiguous range of table rows, scans all ids in order
 * and adds only those in its range. Every table row is therefore updated by one thread, in ascending i, exactly
 * as the sequential loop does: the result is bitwise that of one thread. Each thread reads all ids (4 bytes each)
 * but only its own rows' sources, so the extra cost is negligible next to the dim-long row adds.
 */
final class GatherScatterKernels {
    private GatherScatterKernels() {}

    static void gatherRows(WorkSplit split, float[] table, int dim, int[] ids, int count, float[] out, int outOff) {
        checkIds("gatherRows", ids, count, table.length, dim);
        split.forRows(count, dim, (from, to) -> {
            for (int i = from; i < to; i++) System.arraycopy(table, ids[i] * dim, out, outOff + i * dim, dim);
        });
    }

    static void scatterAddRows(WorkSplit split, float[] src, int srcOff, int dim, int[] ids, int count, float[] table) {
        checkIds("scatterAddRows", ids, count, table.length, dim);
        forDestinationRanges(split, table.length, dim, count, (lo, hi) -> {
            for (int i = 0; i < count; i++) {
                int id = ids[i];
                if (id >= lo && id < hi) {
                    BinaryKernels.row(BinaryOp.ADD, table, id * dim, 1, src, srcOff + i * dim, 1,
                            table, id * dim, dim);
                }
            }
        });
    }

    /** Splits the table's rows into one range per thread when the scatter moves at least a grain of elements. */
    private static void forDestinationRanges(WorkSplit split, int tableLength, int dim, int count, Parallel.RangeTask body) {
        int tableRows = dim == 0 ? 0 : tableLength / dim;
        boolean large = (long) count * dim >= split.grain();
        split.parallel().forRange(tableRows, large ? 1 : Math.max(1, tableRows), body);
    }

    /** Every id must name a row of the table: a clear message instead of an index error deep in a copy. */
    static void checkIds(String op, int[] ids, int count, int tableLength, int dim) {
        if (count > ids.length) {
            throw new IllegalArgumentException(op + ": count " + count + " exceeds the " + ids.length + " ids given");
        }
        int tableRows = dim == 0 ? Integer.MAX_VALUE : tableLength / dim;
        for (int i = 0; i < count; i++) {
            if (ids[i] < 0 || ids[i] >= tableRows) {
                throw new IndexOutOfBoundsException(op + ": id " + ids[i] + " at position " + i
                        + " is outside the table of " + tableRows + " rows of dim " + dim);
            }
        }
    }
}
