package dev.ranker4j.kernels.tornadovm;

import java.util.Arrays;
import java.util.List;

import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.WorkerGrid1D;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/**
 * Embedding lookup and its backward on the device.
 * <pre>
 *   gather:      out[i, :] = table[ids[i], :]
 *   scatter-add: table[t, :] += Σ_{i : ids[i] = t} src[i, :]   (i ascending)
 * </pre>
 * The scatter-add is partitioned by output row, so no two work items write the same element and no atomics are
 * needed: the host groups the positions by id (a CSR list: for each distinct id, its positions in order), and one
 * work item per (distinct id, column) adds that id's source rows in order into the table row, the same order as the
 * reference. The index lists travel as floats in device scratch (exact below 2²⁴, checked); the table stays on the
 * device like every other array.
 * Reference: {@link dev.ranker4j.kernels.ReferenceBackend#gatherRows} and {@code scatterAddRows}.
 */
final class EmbeddingKernel {
    static final int GROUP = 64;
    static final int TABLE_AT = 0, IDS_AT = 1, OUT_AT = 2, COUNT = 3, DIM = 4, PARAMS = 5;
    static final int SRC_AT = 2, DISTINCT = 3, TOTAL = 5, SCATTER_PARAMS = 6;
    /** Floats represent integers exactly up to here. */
    static final int EXACT_FLOAT_INTEGERS = 1 << 24;

    public static void gather(KernelContext context, IntArray p, FloatArray mem) {
        int dim = p.get(DIM);
        int e = context.globalIdx;
        if (e < p.get(COUNT) * dim) {
            int i = e / dim;
            int j = e - i * dim;
            int id = (int) mem.get(p.get(IDS_AT) + i);
            mem.set(p.get(OUT_AT) + e, mem.get(p.get(TABLE_AT) + id * dim + j));
        }
    }

    /**
     * csr at IDS_AT: offsets[distinct + 1], then positions[total], then the distinct ids[distinct], as floats.
     * One work item per (distinct id, column) adds that id's source rows, in order, into the table row.
     */
    public static void scatterAdd(KernelContext context, IntArray p, FloatArray mem) {
        int dim = p.get(DIM);
        int distinct = p.get(DISTINCT);
        int csr = p.get(IDS_AT);
        int e = context.globalIdx;
        if (e < distinct * dim) {
            int u = e / dim;
            int j = e - u * dim;
            int id = (int) mem.get(csr + distinct + 1 + p.get(TOTAL) + u);
            int at = p.get(TABLE_AT) + id * dim + j;
            float sum = mem.get(at);
            int end = (int) mem.get(csr + u + 1);
            for (int q = (int) mem.get(csr + u); q < end; q++) {
                int position = (int) mem.get(csr + distinct + 1 + q);
                sum += mem.get(p.get(SRC_AT) + position * dim + j);
            }
            mem.set(at, sum);
        }
    }

    private final DeviceArrays arrays;
    private final DeviceProgram.Kernel gather, scatterAdd;

    EmbeddingKernel(DeviceProgram program, DeviceArrays arrays) {
        this.arrays = arrays;
        gather = program.kernel("gather", new WorkerGrid1D(GROUP), PARAMS, 0, List.of(), List.of(),
                (g, p, s, m) -> g.task(DeviceProgram.TASK, EmbeddingKernel::gather, new KernelContext(), p, m));
        scatterAdd = program.kernel("scatterAdd", new WorkerGrid1D(GROUP), SCATTER_PARAMS, 0, List.of(), List.of(),
                (g, p, s, m) -> g.task(DeviceProgram.TASK, EmbeddingKernel::scatterAdd, new KernelContext(), p, m));
    }

    void gather(float[] table, int dim, int[] ids, int count, float[] out, int outOff) {
        if (count == 0 || dim == 0) return;
        float[] idValues = new float[count];
        for (int i = 0; i < count; i++) idValues[i] = exact(ids[i], "id");
        int tableAt = arrays.read(table);
        int outAt = arrays.write(out, outOff, outOff + count * dim) + outOff;
        int idsAt = arrays.temporary(idValues);
        try {
            gather.params(tableAt, idsAt, outAt, count, dim);
            gather.launch1D((long) count * dim, GROUP);
        } finally {
            arrays.freeScratch(idsAt, count);
        }
    }

    void scatterAdd(float[] src, int srcOff, int dim, int[] ids, int count, float[] table) {
        if (count == 0 || dim == 0) return;
        // Group positions by id: sort (id, position) pairs; positions stay ascending within an id.
        long[] keyed = new long[count];
        for (int i = 0; i < count; i++) keyed[i] = ((long) ids[i] << 32) | i;
        Arrays.sort(keyed);
        int[] distinctIds = new int[count];
        int[] offsets = new int[count + 1];
        int distinct = 0;
        for (int q = 0; q < count; q++) {
            int id = (int) (keyed[q] >>> 32);
            if (distinct == 0 || distinctIds[distinct - 1] != id) {
                offsets[distinct] = q;
                distinctIds[distinct++] = id;
            }
        }
        offsets[distinct] = count;
        float[] csr = new float[distinct + 1 + count + distinct];
        for (int u = 0; u <= distinct; u++) csr[u] = exact(offsets[u], "position");
        for (int q = 0; q < count; q++) csr[distinct + 1 + q] = exact((int) keyed[q], "position");
        for (int u = 0; u < distinct; u++) csr[distinct + 1 + count + u] = exact(distinctIds[u], "id");

        int srcAt = arrays.read(src) + srcOff;
        int tableAt = arrays.readWrite(table);
        int csrAt = arrays.temporary(csr);
        try {
            scatterAdd.params(tableAt, csrAt, srcAt, distinct, dim, count);
            scatterAdd.launch1D((long) distinct * dim, GROUP);
        } finally {
            arrays.freeScratch(csrAt, csr.length);
        }
    }

    private static float exact(int value, String what) {
        if (value < 0 || value >= EXACT_FLOAT_INTEGERS) {
            throw new IllegalArgumentException("TornadoVM embedding: " + what + " " + value + " is outside [0, 2^24),"
                    + " where floats hold integers exactly");
        }
        return value;
    }
}
