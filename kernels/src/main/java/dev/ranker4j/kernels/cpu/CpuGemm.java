package dev.ranker4j.kernels.cpu;

import dev.ranker4j.kernels.UnaryOp;

/**
 * The fast CPU matrix product: C = alpha · op(A) · op(B) + beta · C, op(X) = X or Xᵀ, in float, single and batched
 * (double runs on the reference backend), with the semantics of {@link dev.ranker4j.kernels.Backend#gemm}.
 *
 * <h2>Where the time goes (llm.c style arithmetic)</h2>
 * A product costs 2·m·n·k FLOPs and touches 4·(m·k + k·n + m·n) bytes (float). For the BERT shapes:
 * <pre>
 *   shape (m, k, n)         GFLOP   MB touched   FLOP/byte   ms at 200 GFLOP/s
 *   (4096,  384,  384)       1.21      15.7          77          6.0
 *   (4096,  384, 1536)       4.83      33.9         142         24.2
 *   (4096, 1536,  384)       4.83      33.9         142         24.2
 *   (4096,  768,  768)       4.83      27.3         177         24.2
 *   (4096,  768, 3072)      19.3       71.3         271         96.6
 *   384 × (128, 32, 128)     0.40      37.7          11          2.0   (attention scores, one per head)
 * </pre>
 * Everything but attention is compute-bound by a wide margin (a core streams ~20 GB/s, i.e. ~2 800 GFLOP/s at 142
 * FLOP/byte), so the job is to keep the FMA units busy: 2 cores × 2 FMA pipes × 16 lanes × 2 FLOP × ~4 GHz ≈ 530
 * GFLOP/s measured peak. The micro-kernel ({@link GemmF32}) does 16 FMAs per 10 loads and keeps its 8 × 32 tile of
 * C in registers for a whole depth panel (KC = 384 steps), so C traffic is 2·8·32 floats per 8·32·384 FMAs; packing
 * (see {@link GemmLoops}) makes every B load in the inner loop contiguous and cache-resident. An untransposed A is
 * not packed at all: the micro-kernel broadcasts its values from 8 rows in place, which measured as fast as a packed
 * sliver, while the scalar 8 × depth transpose of packing it was 7–8 % of a training step. A transposed A (Gᵀ in a
 * weight gradient) is packed with 8-float vector copies along its contiguous rows, and B costs one read and one
 * write per element per thread. The attention shape is small (k = 32, n = 128), so per-call overheads matter there:
 * a batch is split across threads whole, each matrix handled by one thread with its own buffers.
 *
 * <h2>Threads and buffers</h2>
 * A single product is split into contiguous blocks of output rows (or of columns when there are few rows), one per
 * thread of the shared {@link Parallel} pool; threads never write the same part of C, so they never synchronise.
 * Each thread keeps its packing buffers (about 2.6 MiB) in a thread-local {@link GemmLoops}
 * that is reused by every later call: no allocation per call in steady state.
 *
 * <p>The plain twin used by the tests is {@link dev.ranker4j.kernels.ReferenceBackend#gemm} (three nested loops).
 */
final class CpuGemm {

    /**
     * Smallest number of multiply-adds worth a hand-off to another thread (which costs tens of microseconds): at
     * ~100 GFLOP/s per core, 2²¹ FMAs take ~40 µs.
     */
    static final long MIN_FMAS_PER_TASK = 1L << 21;

    private final Parallel parallel;
    private final MicroTile tile;
    private final ThreadLocal<GemmF32> f32;

    /** A GEMM on the machine's register tile ({@link MicroTile#forGemm}). */
    CpuGemm(Parallel parallel) {
        this(parallel, MicroTile.forGemm());
    }

    /** A GEMM on the given register tile (tests run every family). */
    CpuGemm(Parallel parallel, MicroTile tile) {
        if (parallel == null) throw new IllegalArgumentException("CpuGemm needs a Parallel pool, got null");
        this.parallel = parallel;
        this.tile = tile;
        this.f32 = ThreadLocal.withInitial(() -> new GemmF32(tile));
    }

    /** Worker threads one call may use. */
    int threads() {
        return parallel.threads();
    }

    // -------------------------------------------------------------------------------------------------- float

    /** C = alpha · op(A) · op(B) + beta · C; see {@link dev.ranker4j.kernels.Backend#gemm}. */
    void gemm(boolean transA, boolean transB, int m, int n, int k,
                     float alpha, float[] a, int aOff, int lda,
                     float[] b, int bOff, int ldb,
                     float beta, float[] c, int cOff, int ldc) {
        GemmChecks.checkGemm("gemm", transA, transB, m, n, k, a.length, aOff, lda, b.length, bOff, ldb,
                c.length, cOff, ldc);
        product(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, null, 0, null);
    }

    /**
     * C = alpha · op(A) · op(B) + beta · C + bias, the bias row {@code bias[biasOff : biasOff + n]} added to every
     * row of C: a Linear layer's y = x · Wᵀ + b in one pass over C instead of two (the bias is added in the
     * micro-kernel's write-back).
     */
    void gemmBias(boolean transA, boolean transB, int m, int n, int k,
                         float alpha, float[] a, int aOff, int lda,
                         float[] b, int bOff, int ldb,
                         float beta, float[] c, int cOff, int ldc, float[] bias, int biasOff) {
        if (bias == null) GemmChecks.checkBias("gemmBias", n, -1, biasOff); // a bias is required here
        gemmBias(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, bias, biasOff, null);
    }

    /**
     * {@link #gemmBias} (bias may be null), then {@code activation} (null: none) applied to each block of C as soon
     * as the block holds its final values, while it is still in cache: a linear layer and its non-linearity at
     * inference with one pass over C, where a separate activation pass would stream C from memory and back (25 MB
     * per BERT-mini FFN layer at 32 × 128 tokens).
     */
    void gemmBias(boolean transA, boolean transB, int m, int n, int k,
                  float alpha, float[] a, int aOff, int lda,
                  float[] b, int bOff, int ldb,
                  float beta, float[] c, int cOff, int ldc, float[] bias, int biasOff, UnaryOp activation) {
        GemmChecks.checkGemm("gemmBias", transA, transB, m, n, k, a.length, aOff, lda, b.length, bOff, ldb,
                c.length, cOff, ldc);
        if (bias != null) GemmChecks.checkBias("gemmBias", n, bias.length, biasOff);
        product(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, bias, biasOff, activation);
    }

    private void product(boolean transA, boolean transB, int m, int n, int k,
                         float alpha, float[] a, int aOff, int lda,
                         float[] b, int bOff, int ldb,
                         float beta, float[] c, int cOff, int ldc, float[] bias, int biasOff, UnaryOp activation) {
        if (m == 0 || n == 0) return;
        if (m == 1 && !transB && k > 0) { // a row times a matrix (bias gradients): B streamed once, see GemvF32
            int chunks = GemmLoops.ceilDiv(n, GemvF32.CHUNK), aStep = transA ? lda : 1;
            int minChunks = (int) Math.max(1, MIN_FMAS_PER_TASK / ((long) GemvF32.CHUNK * k));
            parallel.forRange(chunks, minChunks, (from, to) -> {
                float[] acc = new float[GemvF32.CHUNK];
                for (int chunk = from; chunk < to; chunk++) {
                    GemvF32.columns(chunk * GemvF32.CHUNK, Math.min(n, (chunk + 1) * GemvF32.CHUNK), k, alpha, a, aOff,
                            aStep, b, bOff, ldb, beta, c, cOff, bias, biasOff, acc);
                }
            });
            if (activation != null) UnaryKernels.apply(activation, 0, c, cOff, c, cOff, n);
            return;
        }
        OutputSplit split = OutputSplit.plan(m, n, k, tile.rows, tile.columns, parallel.threads());
        parallel.forRange(split.tasks(), split.minTasksPerChunk(), (from, to) -> {
            GemmF32 kernel = f32.get();
            kernel.bind(transA, transB, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, bias, biasOff);
            kernel.activation(activation);
            try {
                split.run(kernel, from, to, m, n, k);
            } finally {
                kernel.unbind();
            }
        });
    }

    /**
     * {@code batch} independent products; matrix i of A starts at {@code aOff + i·strideA} (likewise B and C), and a
     * stride of 0 broadcasts A or B over the batch. See {@link dev.ranker4j.kernels.Backend#gemm} (a batch above 1).
     */
    void batchedGemm(int batch, boolean transA, boolean transB, int m, int n, int k,
                            float alpha, float[] a, int aOff, int strideA, int lda,
                            float[] b, int bOff, int strideB, int ldb,
                            float beta, float[] c, int cOff, int strideC, int ldc) {
        GemmChecks.checkBatched(batch, transA, transB, m, n, k, a.length, aOff, strideA, lda,
                b.length, bOff, strideB, ldb, c.length, cOff, strideC, ldc);
        if (batch == 0 || m == 0 || n == 0) return;
        if (batch < parallel.threads()) { // too few matrices to go around: split each one instead
            for (int i = 0; i < batch; i++) {
                gemm(transA, transB, m, n, k, alpha, a, aOff + i * strideA, lda, b, bOff + i * strideB, ldb,
                        beta, c, cOff + i * strideC, ldc);
            }
            return;
        }
        if (unpacked(transB, n, k, beta)) { // small depth: each tile straight from A and B into C, nothing packed
            int aRowStep = transA ? 1 : lda, aDepthStep = transA ? lda : 1;
            parallel.forRange(batch, minMatricesPerTask(m, n, k), (from, to) -> {
                for (int i = from; i < to; i++) {
                    tile.multiply(m, n, k, alpha, a, aOff + i * strideA, aRowStep, aDepthStep, b, bOff + i * strideB, ldb,
                            c, cOff + i * strideC, ldc);
                }
            });
            return;
        }
        parallel.forRange(batch, minMatricesPerTask(m, n, k), (from, to) -> {
            GemmF32 kernel = f32.get();
            try {
                for (int i = from; i < to; i++) {
                    kernel.bind(transA, transB, alpha, a, aOff + i * strideA, lda, b, bOff + i * strideB, ldb,
                            beta, c, cOff + i * strideC, ldc, null, 0);
                    kernel.run(0, m, 0, n, k);
                }
            } finally {
                kernel.unbind();
            }
        });
    }

    // ---------------------------------------------------------------------------------------------- helpers

    /**
     * Whether a batched product runs on {@link MicroTile#multiply} without packing: a shallow product (k ≤
     * {@link #UNPACKED_MAX_DEPTH}, the attention scores' k = d = 32) into a fresh C (beta = 0) whose rows are whole
     * tiles wide, B read in place (not transposed). There a tile's depth loop is too short to pay for packing B and
     * for the round trip of its accumulators through the tile buffer; the strided tile writes alpha · acc straight
     * to C, with the same FMA chain per element (the same bits).
     */
    private boolean unpacked(boolean transB, int n, int k, float beta) {
        return !transB && beta == 0f && k <= UNPACKED_MAX_DEPTH && n % tile.columns == 0;
    }

    /** Deepest batched product computed by unpacked tiles. */
    static final int UNPACKED_MAX_DEPTH = 64;

    private static int minMatricesPerTask(int m, int n, int k) {
        long fmasPerMatrix = Math.max(1L, (long) m * n * k);
        return (int) Math.max(1L, Math.min(Integer.MAX_VALUE, MIN_FMAS_PER_TASK / fmasPerMatrix));
    }
}
