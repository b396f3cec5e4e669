package dev.ranker4j.kernels.tornadovm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.WorkerGrid1D;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;
import uk.ac.manchester.tornado.api.types.arrays.TornadoNativeArray;

/**
 * Embedding lookup and its backward on the device.
 * <pre>
 *   gather:      out[i, :] = table[ids[i], :]
 *   scatter-add: table[t, :] += Σ_{i : ids[i] = t} src[i, :]   (i ascending)
 * </pre>
 * The scatter-add is partitioned by output row, so no two work items write the same element and no atomics are
 * needed: the host groups the positions by id (a CSR list: for each distinct id, its positions in order), stages
 * only the touched table rows, and one work item per (distinct id, column) adds that id's source rows in order, the
 * same order as the reference. A registered resident table (the embedding weights) is uploaded once for gathers.
 * Reference: {@link dev.ranker4j.kernels.ReferenceBackend#gatherRows} and {@code scatterAddRows}.
 */
final class EmbeddingKernel implements AutoCloseable {
    static final int GROUP = 64;
    static final int COUNT = 0, DIM = 1, PARAMS = 2;

    public static void gather(KernelContext context, IntArray p, IntArray ids, FloatArray table, FloatArray out) {
        int dim = p.get(DIM);
        int e = context.globalIdx;
        if (e < p.get(COUNT) * dim) {
            int i = e / dim;
            int j = e - i * dim;
            out.set(e, table.get(ids.get(i) * dim + j));
        }
    }

    /**
     * rows: the touched table rows [distinct, dim], updated in place; csr: offsets[distinct + 1] then positions.
     * p[COUNT] is the number of distinct ids here.
     */
    public static void scatterAdd(KernelContext context, IntArray p, IntArray csr, FloatArray src, FloatArray rows) {
        int dim = p.get(DIM);
        int distinct = p.get(COUNT);
        int e = context.globalIdx;
        if (e < distinct * dim) {
            int u = e / dim;
            int j = e - u * dim;
            float sum = rows.get(e);
            for (int q = csr.get(u); q < csr.get(u + 1); q++) {
                sum += src.get(csr.get(distinct + 1 + q) * dim + j);
            }
            rows.set(e, sum);
        }
    }

    /** A gather plan with its staging; {@code table} is resident when built for a registered weight. */
    private final class GatherSlot implements AutoCloseable {
        final float[] residentHost;
        final IntArray params = new IntArray(PARAMS);
        IntArray ids;
        FloatArray table, out;
        DevicePlan plan;

        GatherSlot(float[] residentHost) {
            this.residentHost = residentHost;
        }

        void ensure(int count, int tableSize, int outSize) {
            boolean tableFits = residentHost != null || Staging.fits(table, tableSize);
            if (plan != null && Staging.fits(ids, count) && tableFits && Staging.fits(out, outSize)) return;
            close();
            ids = new IntArray(Staging.capacityFor(count));
            table = residentHost != null ? FloatArray.fromArray(residentHost) : new FloatArray(Staging.capacityFor(tableSize));
            out = new FloatArray(Staging.capacityFor(outSize));
            List<TornadoNativeArray> inputs = new ArrayList<>(List.of(params, ids));
            if (residentHost == null) inputs.add(table);
            List<TornadoNativeArray> resident = residentHost == null ? List.of() : List.of(table);
            IntArray pi = ids;
            FloatArray pt = table, po = out;
            plan = new DevicePlan("gather", new WorkerGrid1D(GROUP), stats, resident, inputs, List.of(out),
                    g -> g.task(DevicePlan.TASK, EmbeddingKernel::gather, new KernelContext(), params, pi, pt, po));
        }

        @Override
        public void close() {
            if (plan != null) plan.close();
            plan = null;
        }
    }

    private final TransferStats stats;
    private final Residency residency;
    private final GatherSlot sharedGather;
    private final Map<float[], GatherSlot> residentGathers = new IdentityHashMap<>();
    private final IntArray scatterParams = new IntArray(PARAMS);
    private IntArray csr;
    private FloatArray scatterSrc, scatterRows;
    private DevicePlan scatterPlan;

    EmbeddingKernel(TransferStats stats, Residency residency) {
        this.stats = stats;
        this.residency = residency;
        this.sharedGather = new GatherSlot(null);
    }

    void gather(float[] table, int dim, int[] ids, int count, float[] out, int outOff) {
        if (count == 0 || dim == 0) return;
        GatherSlot slot = residency.contains(table)
                ? residentGathers.computeIfAbsent(table, GatherSlot::new) : sharedGather;
        slot.ensure(count, table.length, count * dim);
        Staging.put(ids, 0, slot.ids, 0, count);
        if (slot.residentHost == null) Staging.put(table, 0, slot.table, 0, table.length);
        Staging.put(new int[]{count, dim}, 0, slot.params, 0, PARAMS);
        slot.plan.launch(DevicePlan.roundUp((long) count * dim, GROUP), 1, 1, GROUP, 1, 1);
        Staging.get(slot.out, 0, out, outOff, count * dim);
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
        int csrSize = distinct + 1 + count;
        if (scatterPlan == null || !Staging.fits(csr, csrSize) || !Staging.fits(scatterSrc, count * dim)
                || !Staging.fits(scatterRows, distinct * dim)) {
            if (scatterPlan != null) scatterPlan.close();
            csr = new IntArray(Staging.capacityFor(2 * count + 1));
            scatterSrc = new FloatArray(Staging.capacityFor(count * dim));
            scatterRows = new FloatArray(Staging.capacityFor(count * dim));
            IntArray pc = csr;
            FloatArray ps = scatterSrc, pr = scatterRows;
            scatterPlan = new DevicePlan("scatterAdd", new WorkerGrid1D(GROUP), stats, List.of(),
                    List.of(scatterParams, csr, scatterSrc, scatterRows), List.of(scatterRows),
                    g -> g.task(DevicePlan.TASK, EmbeddingKernel::scatterAdd, new KernelContext(), scatterParams,
                            pc, ps, pr));
        }
        Staging.put(offsets, 0, csr, 0, distinct + 1);
        for (int q = 0; q < count; q++) csr.set(distinct + 1 + q, (int) keyed[q]);
        Staging.put(src, srcOff, scatterSrc, 0, count * dim);
        for (int u = 0; u < distinct; u++) Staging.put(table, distinctIds[u] * dim, scatterRows, u * dim, dim);
        Staging.put(new int[]{distinct, dim}, 0, scatterParams, 0, PARAMS);
        scatterPlan.launch(DevicePlan.roundUp((long) distinct * dim, GROUP), 1, 1, GROUP, 1, 1);
        for (int u = 0; u < distinct; u++) Staging.get(scatterRows, u * dim, table, distinctIds[u] * dim, dim);
    }

    /** Drops the device copy of a resident table (after the host changed it). */
    void evict(float[] table) {
        GatherSlot slot = residentGathers.remove(table);
        if (slot != null) slot.close();
    }

    @Override
    public void close() {
        sharedGather.close();
        residentGathers.values().forEach(GatherSlot::close);
        residentGathers.clear();
        if (scatterPlan != null) scatterPlan.close();
    }
}
