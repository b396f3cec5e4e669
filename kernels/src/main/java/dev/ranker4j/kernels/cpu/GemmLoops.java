package dev.ranker4j.kernels.cpu;

/**
 * The five loops of the Goto/BLIS GEMM algorithm, written once for every element type.
 *
 * <p>C[m, n] = alpha · op(A)[m, k] · op(B)[k, n] + beta · C is cut into blocks sized for the cache levels:
 * <pre>
 * for jc in 0..n step NC                      B panel  [KC, NC]  packed once, read from L3/L2
 *   for pc in 0..k step KC
 *     pack op(B)[pc:pc+KC, jc:jc+NC]          as NR-wide column slivers, each [KC, NR] contiguous
 *     for ic in rows step MC                  A block  [MC, KC]  packed, stays in L2
 *       pack op(A)[ic:ic+MC, pc:pc+KC]        as MR-tall row slivers, each [KC, MR] contiguous
 *                                             (an untransposed A is read in place instead: see packA)
 *       for jr in 0..NC step NR               one B sliver [KC, NR] stays in L1 across the next loop
 *         for ir in 0..MC step MR
 *           micro-kernel: C[MR, NR] (+)= A sliver · B sliver, accumulators in registers
 *       after the last depth panel: finishBlock(C[ic:ic+MC, jc:jc+NC])   an activation, while the block is in cache
 * </pre>
 * When k takes more than one depth panel and all of them fit the B buffer together ({@code k · cols ≤}
 * {@link #RESIDENT_B_BYTES}: the FFN products with k = 1536 and n = 384, QKV's dX with k = 1152), the two middle
 * loops swap: B is packed once for every depth, then each block of {@link #RESIDENT_MC} rows of C runs through all
 * depth panels before the next block starts, so that block of C stays in L2 instead of being re-read from L3 or
 * memory once per panel. Every C element still sees the same panels in the same order with the same accumulator
 * chain, so the results are bit-for-bit those of the panel-major order (checked on all training shapes, 1 and 2
 * threads, and by {@code GemmThreadCountTest}). Measured 2026-11-23, one thread, thread CPU time, best of 20, two
 * alternating runs: FT 4096 × 384 × 1536 (m × n × k) 184–201 → 207–230 GFLOP/s, FF 4096 × 384 × 1536 188–205 →
 * 207–231, FF 4096 × 384 × 1152 190–207 → 213–236 (RESIDENT_MC = 64, 128 and 256 all alike); the k = 384
 * shapes are unchanged. The weight gradients (TF, k = 4096) are not helped: their B (4096 × 384 floats, 6 MiB) does
 * not fit, and cutting it into narrower column blocks that do would pack the transposed A once per block, which
 * already costs more (9 % of such a product, perf) than the C traffic saved (10 %).
 *
 * <p>Packing turns any layout (transposed, strided) into the one the micro-kernel streams contiguously, and pads edge
 * slivers with zeros so that the micro-kernel always computes a full MR × NR tile; only the write-back of an edge
 * tile is partial. The subclass ({@link GemmF32}) supplies packing and the micro-kernel
 * and owns the packing buffers, so one instance is used by one thread at a time (see {@link CpuGemm}).
 */
abstract class GemmLoops {

    /**
     * Depth of one packed panel. Every extra panel costs one more read and write of all of C, and C (m × n, 25 MB
     * for 4096 × 1536) lives in memory, not cache: at 256 the write-back took a quarter of the time for k = 384
     * (JFR samples), so KC = 384 computes the BERT-mini depth in one panel (OpenBLAS uses the same for AVX2/AVX-512
     * sgemm). The B sliver, KC × NR floats = 384 · 32 · 4 B = 48 KiB, then fills the 48 KiB L1 and partly streams
     * from L2, which has bandwidth to spare (2 vector loads per 16 FMAs). For doubles NR halves: the same bytes.
     */
    static final int KC = 384;
    /** Rows of A packed at once: MC × KC floats = 384 KiB, under half of a 1 MiB L2, leaves room for B slivers. */
    static final int MC = 256;
    /** Columns of B packed at once: KC × NC floats = 1.5 MiB (L3), shared across all of the MC loop. */
    static final int NC = 1024;
    /**
     * Bytes of packed B that may hold every depth panel of a column block at once: k · n = 1536 · 384 floats
     * (2.25 MiB), the FFN's k = 1536 products (forward x · Wᵀ and backward dX = G · W). See {@link #run}.
     */
    static final int RESIDENT_B_BYTES = 1536 * 384 * 4;
    /** Rows of C per block when B is resident: 128 × 384 floats = 192 KiB of C stays in L2 across depth panels. */
    static final int RESIDENT_MC = 128;
    /** Micro-tile height (rows of C computed per micro-kernel call). */
    final int mr;
    /** Micro-tile width (columns of C computed per micro-kernel call). */
    final int nr;

    /** {@link #MC} rounded down to whole micro-tiles (252 for 6-row tiles), so only C's last rows make a partial one. */
    final int mc;
    /** {@link #RESIDENT_MC} rounded down to whole micro-tiles. */
    final int residentMc;

    /** Length of the B packing buffer in elements: one KC × NC panel, or {@link #RESIDENT_B_BYTES} if larger. */
    final int packedBCapacity;

    GemmLoops(int mr, int nr, int elementBytes) {
        this.mr = mr;
        this.nr = nr;
        this.mc = MC / mr * mr;
        this.residentMc = RESIDENT_MC / mr * mr;
        this.packedBCapacity = Math.max(KC * ceilDiv(NC, nr) * nr, RESIDENT_B_BYTES / elementBytes);
    }

    /**
     * Packs op(A)[ic:ic+rows, pc:pc+depth] into the A buffer as row slivers of height {@link #mr}. Slivers whose
     * layout already suits the micro-kernel (full slivers of an untransposed A) are left where they lie.
     */
    abstract void packA(int ic, int rows, int pc, int depth);

    /**
     * Packs op(B)[pc:pc+depth, jc:jc+cols] into the B buffer, from index {@code at} on, as column slivers of width
     * {@link #nr}.
     */
    abstract void packB(int pc, int depth, int jc, int cols, int at);

    /**
     * One micro-tile: acc = A sliver (starting at {@code aAt} in the A buffer) · B sliver (at {@code bAt}), then
     * C[row:row+rows, col:col+cols] = alpha · acc + (firstPanel ? beta · C : C). Only the first depth panel applies
     * beta; later panels accumulate.
     */
    abstract void microKernel(int depth, int aAt, int bAt, int row, int col, int rows, int cols, boolean firstPanel);

    /** C = beta · C (beta = 0 writes zeros), plus the bias if one is bound: the whole product when k = 0. */
    abstract void scaleC(int rowFrom, int rowTo, int colFrom, int colTo);

    /**
     * C[row:row+rows, col:col+cols] holds its final values: the epilogue that needs whole sums (an activation) runs
     * here, while the block is still in cache.
     */
    abstract void finishBlock(int row, int rows, int col, int cols);

    /** Computes the output block C[rowFrom:rowTo, colFrom:colTo] of the bound product; k is the shared depth. */
    final void run(int rowFrom, int rowTo, int colFrom, int colTo, int k) {
        if (rowFrom >= rowTo || colFrom >= colTo) return;
        if (k == 0) {
            scaleC(rowFrom, rowTo, colFrom, colTo);
            finishBlock(rowFrom, rowTo - rowFrom, colFrom, colTo - colFrom);
            return;
        }
        // Split k into equal panels (1000 -> 334 + 334 + 332 rather than 384 + 384 + 232): a short tail panel
        // would pay the same C read and write as a full one for less work.
        int depthPanels = ceilDiv(k, KC);
        int depthStep = ceilDiv(k, depthPanels);
        for (int jc = colFrom; jc < colTo; jc += NC) {
            int cols = Math.min(NC, colTo - jc);
            int paddedCols = ceilDiv(cols, nr) * nr;
            if (depthPanels > 1 && (long) k * paddedCols <= packedBCapacity) {
                runWithResidentB(rowFrom, rowTo, jc, cols, paddedCols, k, depthStep);
                continue;
            }
            for (int pc = 0; pc < k; pc += depthStep) {
                int depth = Math.min(depthStep, k - pc);
                packB(pc, depth, jc, cols, 0);
                for (int ic = rowFrom; ic < rowTo; ic += mc) {
                    int rows = Math.min(mc, rowTo - ic);
                    packA(ic, rows, pc, depth);
                    panelTiles(ic, rows, jc, cols, pc, depth, 0);
                    if (pc + depth == k) finishBlock(ic, rows, jc, cols);
                }
            }
        }
    }

    /**
     * The column block C[:, jc:jc+cols] when all of its depth panels fit the B buffer at once: B is packed once
     * (panel pc at offset pc · paddedCols), then each block of {@link #RESIDENT_MC} rows of C takes every depth
     * panel in turn, so that block (RESIDENT_MC × cols, 192 KiB for 384 columns) stays in L2 from its first
     * panel to its last instead of being re-read from memory once per panel.
     */
    private void runWithResidentB(int rowFrom, int rowTo, int jc, int cols, int paddedCols, int k, int depthStep) {
        for (int pc = 0; pc < k; pc += depthStep) {
            packB(pc, Math.min(depthStep, k - pc), jc, cols, pc * paddedCols);
        }
        for (int ic = rowFrom; ic < rowTo; ic += residentMc) {
            int rows = Math.min(residentMc, rowTo - ic);
            for (int pc = 0; pc < k; pc += depthStep) {
                int depth = Math.min(depthStep, k - pc);
                packA(ic, rows, pc, depth);
                panelTiles(ic, rows, jc, cols, pc, depth, pc * paddedCols);
            }
            finishBlock(ic, rows, jc, cols);
        }
    }

    /** All micro-tiles of C[ic:ic+rows, jc:jc+cols] for depth panel pc, its packed B starting at {@code bFrom}. */
    private void panelTiles(int ic, int rows, int jc, int cols, int pc, int depth, int bFrom) {
        for (int jr = 0; jr < cols; jr += nr) {
            int bAt = bFrom + jr * depth; // sliver jr/nr starts at (jr/nr) · nr · depth
            for (int ir = 0; ir < rows; ir += mr) {
                microKernel(depth, ir * depth, bAt, ic + ir, jc + jr,
                        Math.min(mr, rows - ir), Math.min(nr, cols - jr), pc == 0);
            }
        }
    }

    /** Packing buffer length for A: {@link #mc} rows × KC. */
    final int packedASize() {
        return Math.max(mc, residentMc) * KC;
    }

    /** Packing buffer length for B, in elements. */
    final int packedBSize() {
        return packedBCapacity;
    }

    static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
