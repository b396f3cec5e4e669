package dev.ranker4j.kernels.tornadovm;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.WorkerGrid3D;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;
import uk.ac.manchester.tornado.api.types.arrays.TornadoNativeArray;

/**
 * Batched GEMM on the device: C_b = alpha · op(A_b) · op(B_b) + beta · C_b for b in [0, batch), op(X) = X or Xᵀ.
 *
 * <p>The kernel is the classic local-memory tiling (as in the CUDA/OpenCL GEMM tutorials): a work group of
 * TILE × TILE work items computes one TILE × TILE block of C. For each step t along k, every work item loads one
 * element of A's tile and one of B's tile into local memory, the group waits at a barrier, and each work item
 * accumulates the TILE products of its row of A's tile and column of B's tile. Each element of A and B is then read
 * from global memory m/TILE (resp. n/TILE) times instead of m (resp. n) times. Edges are padded with zeros, so any
 * m, n, k works. The batch index is the third grid axis. Reference: {@link dev.ranker4j.kernels.ReferenceBackend#gemm}.
 *
 * <p>An operand registered as resident (a weight) is uploaded once and stays on the device in a plan of its own.
 */
final class GemmKernel implements AutoCloseable {
    static final int TILE = 16;

    // Layout of the integer parameter array.
    static final int M = 0, N = 1, K = 2, TRANS_A = 3, TRANS_B = 4, A_OFF = 5, LDA = 6, STRIDE_A = 7,
            B_OFF = 8, LDB = 9, STRIDE_B = 10, LDC = 11, STRIDE_C = 12, PARAMS = 13;

    /** The device kernel. {@code s} holds alpha and beta; C's staged block starts at 0. */
    public static void tiled(KernelContext context, IntArray p, FloatArray s, FloatArray a, FloatArray b, FloatArray c) {
        int m = p.get(M), n = p.get(N), k = p.get(K);
        int transA = p.get(TRANS_A), transB = p.get(TRANS_B), lda = p.get(LDA), ldb = p.get(LDB), ldc = p.get(LDC);
        int tx = context.localIdx;          // column within the tile
        int ty = context.localIdy;          // row within the tile
        int col = context.groupIdx * TILE + tx;
        int row = context.groupIdy * TILE + ty;
        int matrix = context.globalIdz;
        int aBase = p.get(A_OFF) + matrix * p.get(STRIDE_A);
        int bBase = p.get(B_OFF) + matrix * p.get(STRIDE_B);
        float[] aTile = context.allocateFloatLocalArray(TILE * TILE);
        float[] bTile = context.allocateFloatLocalArray(TILE * TILE);

        float sum = 0.0f;
        int steps = (k + TILE - 1) / TILE;
        for (int t = 0; t < steps; t++) {
            int aCol = t * TILE + tx;       // this item loads A[row, aCol]
            float aValue = 0.0f;
            if (row < m && aCol < k) {
                if (transA == 1) {
                    aValue = a.get(aBase + aCol * lda + row);
                } else {
                    aValue = a.get(aBase + row * lda + aCol);
                }
            }
            aTile[ty * TILE + tx] = aValue;
            int bRow = t * TILE + ty;       // and B[bRow, col]
            float bValue = 0.0f;
            if (bRow < k && col < n) {
                if (transB == 1) {
                    bValue = b.get(bBase + col * ldb + bRow);
                } else {
                    bValue = b.get(bBase + bRow * ldb + col);
                }
            }
            bTile[ty * TILE + tx] = bValue;
            context.localBarrier();
            for (int q = 0; q < TILE; q++) {
                sum += aTile[ty * TILE + q] * bTile[q * TILE + tx];
            }
            context.localBarrier();
        }
        if (row < m && col < n) {
            int at = matrix * p.get(STRIDE_C) + row * ldc + col;
            float beta = s.get(1);
            float result = s.get(0) * sum;
            if (beta != 0.0f) {
                result += beta * c.get(at);
            }
            c.set(at, result);
        }
    }

    /** One plan with its staging buffers; {@code residentHost} is the resident operand it was built for, if any. */
    private final class Slot implements AutoCloseable {
        final float[] residentHost;
        final boolean residentIsA;
        final FloatArray resident;
        final IntArray params = new IntArray(PARAMS);
        final FloatArray scalars = new FloatArray(2);
        FloatArray a, b, c;
        DevicePlan plan;

        Slot(float[] residentHost, boolean residentIsA) {
            this.residentHost = residentHost;
            this.residentIsA = residentIsA;
            this.resident = residentHost == null ? null : FloatArray.fromArray(residentHost);
        }

        void ensure(int aSpan, int bSpan, int cSpan) {
            boolean aFits = resident != null && residentIsA || Staging.fits(a, aSpan);
            boolean bFits = resident != null && !residentIsA || Staging.fits(b, bSpan);
            if (plan != null && aFits && bFits && Staging.fits(c, cSpan)) return;
            if (plan != null) plan.close();
            a = resident != null && residentIsA ? resident : new FloatArray(Staging.capacityFor(aSpan));
            b = resident != null && !residentIsA ? resident : new FloatArray(Staging.capacityFor(bSpan));
            c = new FloatArray(Staging.capacityFor(cSpan));
            List<TornadoNativeArray> inputs = new ArrayList<>(List.of(params, scalars));
            if (a != resident) inputs.add(a);
            if (b != resident) inputs.add(b);
            inputs.add(c);
            List<TornadoNativeArray> residents = resident == null ? List.of() : List.of(resident);
            FloatArray pa = a, pb = b, pc = c;
            plan = new DevicePlan("gemm", new WorkerGrid3D(TILE, TILE, 1), stats, residents, inputs, List.of(c),
                    graph -> graph.task(DevicePlan.TASK, GemmKernel::tiled, new KernelContext(), params, scalars,
                            pa, pb, pc));
        }

        @Override
        public void close() {
            if (plan != null) plan.close();
        }
    }

    private final TransferStats stats;
    private final Residency residency;
    // Non-resident products share two plans: the batched ones (attention: many small matrices) apart from the
    // plain ones (dense layers). Every launch sends its staging buffers whole, and they are sized by the largest
    // operand a plan has seen, so mixing them would make every attention product carry a dense-layer-sized buffer.
    private final Slot shared;
    private final Slot sharedBatched;
    private final Map<float[], Slot> residentSlots = new IdentityHashMap<>();

    GemmKernel(TransferStats stats, Residency residency) {
        this.stats = stats;
        this.residency = residency;
        this.shared = new Slot(null, false);
        this.sharedBatched = new Slot(null, false);
    }

    void run(int batch, boolean transA, boolean transB, int m, int n, int k,
             float alpha, float[] a, int aOff, int strideA, int lda,
             float[] b, int bOff, int strideB, int ldb,
             float beta, float[] c, int cOff, int strideC, int ldc) {
        if (batch == 0 || m == 0 || n == 0) return;
        Slot slot = slotFor(batch, a, b);
        boolean stageA = !(slot.resident != null && slot.residentIsA);
        boolean stageB = !(slot.resident != null && !slot.residentIsA);
        int aSpan = operandSpan(batch, strideA, transA ? k : m, transA ? m : k, lda);
        int bSpan = operandSpan(batch, strideB, transB ? n : k, transB ? k : n, ldb);
        int cSpan = operandSpan(batch, strideC, m, n, ldc);
        slot.ensure(aSpan, bSpan, cSpan);

        if (stageA) Staging.put(a, aOff, slot.a, 0, aSpan);
        if (stageB) Staging.put(b, bOff, slot.b, 0, bSpan);
        if (beta != 0) Staging.put(c, cOff, slot.c, 0, cSpan);
        int[] values = new int[PARAMS];
        values[M] = m;
        values[N] = n;
        values[K] = k;
        values[TRANS_A] = transA ? 1 : 0;
        values[TRANS_B] = transB ? 1 : 0;
        values[A_OFF] = stageA ? 0 : aOff;
        values[LDA] = lda;
        values[STRIDE_A] = strideA;
        values[B_OFF] = stageB ? 0 : bOff;
        values[LDB] = ldb;
        values[STRIDE_B] = strideB;
        values[LDC] = ldc;
        values[STRIDE_C] = strideC;
        Staging.put(values, 0, slot.params, 0, PARAMS);
        slot.scalars.set(0, alpha);
        slot.scalars.set(1, beta);

        slot.plan.launch(DevicePlan.roundUp(n, TILE), DevicePlan.roundUp(m, TILE), batch, TILE, TILE, 1);

        // Copy back only the m × n elements of each C: with ldc > n the gaps belong to the caller.
        for (int matrix = 0; matrix < batch; matrix++) {
            for (int row = 0; row < m; row++) {
                int at = matrix * strideC + row * ldc;
                Staging.get(slot.c, at, c, cOff + at, n);
            }
        }
    }

    private Slot slotFor(int batch, float[] a, float[] b) {
        float[] weight = residency.contains(b) ? b : residency.contains(a) ? a : null;
        if (weight == null) return batch == 1 ? shared : sharedBatched;
        return residentSlots.computeIfAbsent(weight, w -> new Slot(w, w == a && w != b));
    }

    /** Drops the device copy of {@code weight} (after the host changed it); the next use uploads it again. */
    void evict(float[] weight) {
        Slot slot = residentSlots.remove(weight);
        if (slot != null) slot.close();
    }

    /** Elements from a matrix's offset to the last one the batch reads: rows × cols stored with leading dim ld. */
    private static int operandSpan(int batch, int stride, int rows, int cols, int ld) {
        if (rows == 0 || cols == 0) return 1;
        return Math.toIntExact((long) (batch - 1) * stride + (long) (rows - 1) * ld + cols);
    }

    @Override
    public void close() {
        shared.close();
        sharedBatched.close();
        residentSlots.values().forEach(Slot::close);
        residentSlots.clear();
    }
}
