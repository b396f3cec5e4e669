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
 * </pre>
 * Packing turns any layout (transposed, strided) into the one the micro-kernel streams contiguously, and pads edge
 * slivers with zeros so that the micro-kernel always computes a full MR × NR tile; only the write-back of an edge
 * tile is partial. Subclasses ({@link GemmF32}, {@link GemmF64}) supply packing and the micro-kernel for their type
 * and own the packing buffers, so one instance is used by one thread at a time (see {@link CpuGemm}).
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
    /** Micro-tile height (rows of C computed per micro-kernel call). */
    final int mr;
    /** Micro-tile width (columns of C computed per micro-kernel call). */
    final int nr;

    GemmLoops(int mr, int nr) {
        this.mr = mr;
        this.nr = nr;
    }

    /**
     * Packs op(A)[ic:ic+rows, pc:pc+depth] into the A buffer as row slivers of height {@link #mr}. Slivers whose
     * layout already suits the micro-kernel (full slivers of an untransposed A) are left where they lie.
     */
    abstract void packA(int ic, int rows, int pc, int depth);

    /** Packs op(B)[pc:pc+depth, jc:jc+cols] into the B buffer as column slivers of width {@link #nr}. */
    abstract void packB(int pc, int depth, int jc, int cols);

    /**
     * One micro-tile: acc = A sliver (starting at {@code aAt} in the A buffer) · B sliver (at {@code bAt}), then
     * C[row:row+rows, col:col+cols] = alpha · acc + (firstPanel ? beta · C : C). Only the first depth panel applies
     * beta; later panels accumulate.
     */
    abstract void microKernel(int depth, int aAt, int bAt, int row, int col, int rows, int cols, boolean firstPanel);

    /** C = beta · C (beta = 0 writes zeros), plus the bias if one is bound: the whole product when k = 0. */
    abstract void scaleC(int rowFrom, int rowTo, int colFrom, int colTo);

    /** Computes the output block C[rowFrom:rowTo, colFrom:colTo] of the bound product; k is the shared depth. */
    final void run(int rowFrom, int rowTo, int colFrom, int colTo, int k) {
        if (rowFrom >= rowTo || colFrom >= colTo) return;
        if (k == 0) {
            scaleC(rowFrom, rowTo, colFrom, colTo);
            return;
        }
        // Split k into equal panels (1000 -> 334 + 334 + 332 rather than 384 + 384 + 232): a short tail panel
        // would pay the same C read and write as a full one for less work.
        int depthPanels = ceilDiv(k, KC);
        int depthStep = ceilDiv(k, depthPanels);
        for (int jc = colFrom; jc < colTo; jc += NC) {
            int cols = Math.min(NC, colTo - jc);
            for (int pc = 0; pc < k; pc += depthStep) {
                int depth = Math.min(depthStep, k - pc);
                packB(pc, depth, jc, cols);
                for (int ic = rowFrom; ic < rowTo; ic += MC) {
                    int rows = Math.min(MC, rowTo - ic);
                    packA(ic, rows, pc, depth);
                    for (int jr = 0; jr < cols; jr += nr) {
                        int bAt = jr * depth; // sliver jr/nr starts at (jr/nr) · nr · depth
                        for (int ir = 0; ir < rows; ir += mr) {
                            microKernel(depth, ir * depth, bAt, ic + ir, jc + jr,
                                    Math.min(mr, rows - ir), Math.min(nr, cols - jr), pc == 0);
                        }
                    }
                }
            }
        }
    }

    /** Packing buffer length for A: MC rows (rounded up to slivers) × KC. */
    final int packedASize() {
        return ceilDiv(MC, mr) * mr * KC;
    }

    /** Packing buffer length for B: KC × NC columns (rounded up to slivers). */
    final int packedBSize() {
        return KC * ceilDiv(NC, nr) * nr;
    }

    static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
