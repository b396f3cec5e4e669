package dev.ranker4j.kernels.tornadovm;

import java.util.List;

import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.WorkerGrid3D;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/**
 * Batched GEMM on the device: C_b = alpha · op(A_b) · op(B_b) + beta · C_b (+ bias row) for b in [0, batch),
 * op(X) = X or Xᵀ.
 *
 * <p>The kernel is the classic local-memory tiling (as in the CUDA/OpenCL GEMM tutorials): a work group of
 * TILE × TILE work items computes one TILE × TILE block of C. For each step t along k, every work item loads one
 * element of A's tile and one of B's tile into local memory, the group waits at a barrier, and each work item
 * accumulates the TILE products of its row of A's tile and column of B's tile. Each element of A and B is then read
 * from global memory m/TILE (resp. n/TILE) times instead of m (resp. n) times. Edges are padded with zeros, so any
 * m, n, k works. The batch index is the third grid axis.
 *
 * <p>Epilogue: with beta = 0 C is not read (so it is not uploaded either); a bias row, when given, is added in the
 * same write ({@code gemmBias}: a linear layer's x·Wᵀ + b in one pass). Reference:
 * {@link dev.ranker4j.kernels.ReferenceBackend#gemm} and {@code gemmBias}.
 */
final class GemmKernel {
    static final int TILE = 16;

    // Layout of the integer parameter array: shape, then each operand's position in device memory and layout.
    static final int M = 0, N = 1, K = 2, TRANS_A = 3, TRANS_B = 4, A_AT = 5, LDA = 6, STRIDE_A = 7,
            B_AT = 8, LDB = 9, STRIDE_B = 10, C_AT = 11, LDC = 12, STRIDE_C = 13, BIAS_AT = 14, HAS_BIAS = 15,
            PARAMS = 16;

    /** The device kernel. {@code s} holds alpha and beta; every operand lives in {@code mem}. */
    public static void tiled(KernelContext context, IntArray p, FloatArray s, FloatArray mem) {
        int m = p.get(M), n = p.get(N), k = p.get(K);
        int transA = p.get(TRANS_A), transB = p.get(TRANS_B), lda = p.get(LDA), ldb = p.get(LDB), ldc = p.get(LDC);
        int tx = context.localIdx;          // column within the tile
        int ty = context.localIdy;          // row within the tile
        int col = context.groupIdx * TILE + tx;
        int row = context.groupIdy * TILE + ty;
        int matrix = context.globalIdz;
        int aBase = p.get(A_AT) + matrix * p.get(STRIDE_A);
        int bBase = p.get(B_AT) + matrix * p.get(STRIDE_B);
        float[] aTile = context.allocateFloatLocalArray(TILE * TILE);
        float[] bTile = context.allocateFloatLocalArray(TILE * TILE);

        float sum = 0.0f;
        int steps = (k + TILE - 1) / TILE;
        for (int t = 0; t < steps; t++) {
            int aCol = t * TILE + tx;       // this item loads A[row, aCol]
            float aValue = 0.0f;
            if (row < m && aCol < k) {
                if (transA == 1) {
                    aValue = mem.get(aBase + aCol * lda + row);
                } else {
                    aValue = mem.get(aBase + row * lda + aCol);
                }
            }
            aTile[ty * TILE + tx] = aValue;
            int bRow = t * TILE + ty;       // and B[bRow, col]
            float bValue = 0.0f;
            if (bRow < k && col < n) {
                if (transB == 1) {
                    bValue = mem.get(bBase + col * ldb + bRow);
                } else {
                    bValue = mem.get(bBase + bRow * ldb + col);
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
            int at = p.get(C_AT) + matrix * p.get(STRIDE_C) + row * ldc + col;
            float beta = s.get(1);
            float result = s.get(0) * sum;
            if (beta != 0.0f) {
                result += beta * mem.get(at);
            }
            if (p.get(HAS_BIAS) == 1) {
                result += mem.get(p.get(BIAS_AT) + col);
            }
            mem.set(at, result);
        }
    }

    private final DeviceArrays arrays;
    private final DeviceProgram.Kernel kernel;

    GemmKernel(DeviceProgram program, DeviceArrays arrays) {
        this.arrays = arrays;
        this.kernel = program.kernel("gemm", new WorkerGrid3D(TILE, TILE, 1), PARAMS, 2, List.of(), List.of(),
                (g, p, s, m) -> g.task(DeviceProgram.TASK, GemmKernel::tiled, new KernelContext(), p, s, m));
    }

    /** C (host array {@code c}) = alpha · op(A) · op(B) + beta · C (+ bias row when {@code bias} is not null). */
    void run(int batch, boolean transA, boolean transB, int m, int n, int k,
             float alpha, float[] a, int aOff, int strideA, int lda,
             float[] b, int bOff, int strideB, int ldb,
             float beta, float[] c, int cOff, int strideC, int ldc, float[] bias, int biasOff) {
        if (batch == 0 || m == 0 || n == 0) return;
        int aAt = arrays.read(a) + aOff;
        int bAt = arrays.read(b) + bOff;
        int biasAt = bias == null ? 0 : arrays.read(bias) + biasOff;
        int cAt = cPosition(batch, m, n, beta, c, cOff, strideC, ldc);
        run(batch, transA, transB, m, n, k, alpha, aAt, strideA, lda, bAt, strideB, ldb, beta, cAt, strideC, ldc,
                bias == null ? -1 : biasAt);
    }

    /** The same on device positions (operands already on the device, e.g. attention's scratch); biasAt −1: none. */
    void run(int batch, boolean transA, boolean transB, int m, int n, int k, float alpha, int aAt, int strideA,
             int lda, int bAt, int strideB, int ldb, float beta, int cAt, int strideC, int ldc, int biasAt) {
        if (batch == 0 || m == 0 || n == 0) return;
        kernel.params(m, n, k, transA ? 1 : 0, transB ? 1 : 0, aAt, lda, strideA, bAt, ldb, strideB, cAt, ldc,
                strideC, Math.max(biasAt, 0), biasAt >= 0 ? 1 : 0);
        kernel.scalars.set(0, alpha);
        kernel.scalars.set(1, beta);
        kernel.launch(DeviceProgram.roundUp(n, TILE), DeviceProgram.roundUp(m, TILE), batch, TILE, TILE, 1);
    }

    /**
     * Where C lives on the device. With beta ≠ 0 C is read, so its device copy must be current. With beta = 0 it is
     * only written: when the product covers a dense range (no gaps between rows or matrices), nothing is uploaded.
     */
    int cPosition(int batch, int m, int n, float beta, float[] c, int cOff, int strideC, int ldc) {
        if (beta != 0) return arrays.readWrite(c) + cOff;
        boolean dense = (ldc == n || m == 1) && (batch == 1 || strideC == m * n);
        int span = Math.toIntExact((long) (batch - 1) * strideC + (long) (m - 1) * ldc + n);
        return arrays.write(c, dense ? cOff : 0, dense ? cOff + span : 0) + cOff;
    }
}
