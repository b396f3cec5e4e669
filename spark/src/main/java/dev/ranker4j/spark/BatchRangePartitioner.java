package dev.ranker4j.spark;

import org.apache.spark.Partitioner;

import java.util.Arrays;

/**
 * Sends the text of rank {@code r} (its place in the corpus's longest-first order) to the partition holding its batch
 * {@code r / batchSize}: partition {@code p} holds batches {@code [firstBatch[p], firstBatch[p + 1])}, so every
 * partition starts at a batch boundary and holds whole batches, in order.
 */
final class BatchRangePartitioner extends Partitioner {
    private final int batchSize;
    private final long[] firstBatch;

    BatchRangePartitioner(int batchSize, long[] firstBatch) {
        this.batchSize = batchSize;
        this.firstBatch = firstBatch.clone();
    }

    /**
     * Cuts {@code batchLengths.length} batches into at most {@code partitions} ranges of about equal cost, a batch
     * costing its rows times (its longest text's length + 64): the longest texts come first and take several times as
     * long per text, so equal counts would leave the first task running long after the others.
     *
     * @param batchLengths the longest text of each batch, in characters (batches in order)
     * @param count        texts in all
     */
    static BatchRangePartitioner balanced(long[] batchLengths, long count, int batchSize, int partitions) {
        int batches = batchLengths.length;
        int parts = Math.max(1, Math.min(partitions, batches));
        double[] cost = new double[batches];
        double total = 0;
        for (int b = 0; b < batches; b++) {
            long rows = Math.min(batchSize, count - (long) b * batchSize);
            cost[b] = rows * (batchLengths[b] + 64.0);
            total += cost[b];
        }
        long[] first = new long[parts];
        double before = 0;
        int p = 1;
        for (int b = 0; b < batches && p < parts; b++) {
            // batch b opens partition p once the batches before it hold p shares of the cost
            while (p < parts && before >= total * p / parts) first[p++] = b;
            before += cost[b];
        }
        for (; p < parts; p++) first[p] = batches; // filled below
        for (int q = 1; q < parts; q++) {
            first[q] = Math.max(first[q], first[q - 1] + 1);
            first[q] = Math.min(first[q], batches - (parts - q));
        }
        for (int q = parts - 2; q >= 1; q--) first[q] = Math.min(first[q], first[q + 1] - 1);
        return new BatchRangePartitioner(batchSize, first);
    }

    @Override
    public int numPartitions() {
        return firstBatch.length;
    }

    @Override
    public int getPartition(Object key) {
        long batch = (Long) key / batchSize;
        int at = Arrays.binarySearch(firstBatch, batch);
        return at >= 0 ? lastEqual(at, batch) : -at - 2;
    }

    private int lastEqual(int at, long batch) {
        while (at + 1 < firstBatch.length && firstBatch[at + 1] == batch) at++;
        return at;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof BatchRangePartitioner that && that.batchSize == batchSize
                && Arrays.equals(that.firstBatch, firstBatch);
    }

    @Override
    public int hashCode() {
        return 31 * batchSize + Arrays.hashCode(firstBatch);
    }
}
