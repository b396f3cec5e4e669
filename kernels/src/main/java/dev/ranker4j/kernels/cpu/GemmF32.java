package dev.ranker4j.kernels.cpu;

import dev.ranker4j.kernels.UnaryOp;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Packing and the register-tiled micro-kernel of the float GEMM; the loop nest is {@link GemmLoops}.
 *
 * <p>Micro-tile: the machine's {@link MicroTile#forGemm} (MR rows × NR = vectors · lanes columns): 8 × 2 vectors
 * with 32 vector registers and 256/512-bit vectors (AVX-512), 6 × 2 with 16 registers (AVX2), 8 × 3 with 32
 * registers of 128 bits (NEON-like). Each step of the depth loop loads the tile's B vectors, broadcasts MR A values
 * and issues MR · vectors independent FMAs into as many accumulator registers (see the tile classes for the register
 * arithmetic). Each element of C is one FMA chain over a depth panel whatever the tile, so the results are the same
 * bits on every machine (see {@link MicroTile}).
 *
 * <p>A lesson measured here: the micro-kernel method must stay small. When the write-back to C was inlined into it,
 * C2 reached its inlining node budget, left some Vector API calls as real calls and boxed the accumulators into heap
 * objects: 20 GFLOP/s instead of 200 on one core. Hence the accumulators go to a small tile buffer and
 * {@code writeBack} (a separate method) merges them into C, adding the optional bias there. Storing a full tile
 * from the registers straight to C instead (alpha and bias applied on the way, when beta = 0) measured slower
 * again, not faster: 88.7 against 95.2 GFLOP/s for 4096 × 384 × 1536 with Bᵀ on one core, and a BERT forward
 * 48.7 against 56.3 seq/s (2026-12-08, Zen 4).
 *
 * <p>One instance holds its packing buffers and the operands of the product being computed (bound by
 * {@link #bind}); it is used by one thread at a time.
 */
final class GemmF32 extends GemmLoops {

    static final VectorSpecies<Float> SPECIES = VectorShape.SPECIES;
    static final int LANES = VectorShape.LANES;

    /** The register tile: its loops, MR = tile.rows and NR = tile.columns. */
    private final MicroTile tile;
    private final int MR;
    private final int NR;

    private final float[] packedA;
    private final float[] packedB;
    /** The micro-kernel's MR × NR result, before {@link #writeBack} merges its valid part into C. */
    private final float[] acc;

    private boolean transA;
    private boolean transB;
    private float alpha;
    private float beta;
    private float[] a;
    private int aOff;
    private int lda;
    private float[] b;
    private int bOff;
    private int ldb;
    private float[] c;
    private int cOff;
    private int ldc;
    /** Optional epilogue: bias[biasOff + j] is added to every row of column j of C (null: none). */
    private float[] bias;
    private int biasOff;
    /** Optional epilogue after the bias: applied to every element of C once its sum is complete (null: none). */
    private UnaryOp activation;
    /**
     * The distance between the rows of a packed A sliver within a depth step: always 1, but a field rather than a
     * constant so that C2 compiles {@link MicroTile#packed} with the row offsets in registers (see there).
     */
    private int sliverRowStep = 1;
    /** The first depth index of the current A panel (packA's pc), for reading A in place. */
    private int packedDepthStart;

    /** A GEMM on the machine's tile ({@link MicroTile#forGemm}). */
    GemmF32() {
        this(MicroTile.forGemm());
    }

    /** A GEMM on the given tile (tests compare the families). */
    GemmF32(MicroTile tile) {
        super(tile.rows, tile.columns, 4);
        this.tile = tile;
        this.MR = tile.rows;
        this.NR = tile.columns;
        this.packedA = new float[packedASize()];
        this.packedB = new float[packedBSize()];
        this.acc = new float[MR * NR];
    }

    /** Sets the operands for the next {@link #run} calls; {@code bias} may be null. */
    void bind(boolean transA, boolean transB, float alpha, float[] a, int aOff, int lda,
              float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc, float[] bias, int biasOff) {
        this.transA = transA;
        this.transB = transB;
        this.alpha = alpha;
        this.a = a;
        this.aOff = aOff;
        this.lda = lda;
        this.b = b;
        this.bOff = bOff;
        this.ldb = ldb;
        this.beta = beta;
        this.c = c;
        this.cOff = cOff;
        this.ldc = ldc;
        this.bias = bias;
        this.biasOff = biasOff;
    }

    private boolean readsAInPlace(int sliverRows) {
        return !transA && sliverRows == MR;
    }

    /** Sets the activation of the product bound next (null: none); {@link #unbind} clears it. */
    void activation(UnaryOp op) {
        this.activation = op;
    }

    /** Drops the references to the caller's arrays so a cached instance does not keep them alive. */
    void unbind() {
        a = null;
        b = null;
        c = null;
        bias = null;
        activation = null;
    }

    /**
     * Sliver s holds op(A)[ic + s·MR + r, pc + p] at packedA[s·MR·depth + p·MR + r]; missing rows are zeros. When
     * A is not transposed, full slivers are left where they are: each of their 8 rows is already a contiguous run
     * over p, which the micro-kernel reads with stride lda (8 broadcasts from 8 rows per step instead of from one
     * packed run). Packing them cost about one cycle per element, a scalar 8 × depth transpose: 7–8 % of a training
     * step (forward x · Wᵀ and dx = G · W, JFR), while reading in place measured no slower in the micro-kernel for
     * n = 128 … 3072 (2026-11-23, docs/BENCHMARKS.md).
     */
    @Override
    void packA(int ic, int rows, int pc, int depth) {
        packedDepthStart = pc;
        if (transA) {
            packTransposedA(ic, rows, pc, depth);
            return;
        }
        for (int s = 0; s * MR < rows; s++) {
            int base = s * MR * depth;
            int sliverRows = Math.min(MR, rows - s * MR);
            if (readsAInPlace(sliverRows)) continue;
            int firstRow = ic + s * MR;
            // op(A)[i, p] = a[i·lda + p]: read each row in order (faster than gathering across rows)
            for (int r = 0; r < sliverRows; r++) {
                int src = aOff + (firstRow + r) * lda + pc;
                for (int p = 0; p < depth; p++) packedA[base + p * MR + r] = a[src + p];
            }
            for (int r = sliverRows; r < MR; r++) {
                for (int p = 0; p < depth; p++) packedA[base + p * MR + r] = 0f;
            }
        }
    }

    /**
     * op(A)[i, p] = a[p·lda + i] (a transposed operand, e.g. Gᵀ in a weight gradient dW = Gᵀ · X over k = 4096
     * tokens). Row p of a holds op(A)[ic : ic + rows, p] contiguously, and its i-th run of MR values is row p of
     * sliver i. Packing sliver by sliver read MR values from each of {@code depth} rows a row apart, element by
     * element (11 % of a training step, JFR). Walking a row by row instead wrote each row's runs to all rows/MR
     * slivers at once, {@code MR · depth} floats apart (12 KiB at depth 384: a multiple of 4 KiB), so the 32 writes of
     * a row fell into one L1 set and evicted each other: transposed-A products ran 10 % below the same products with
     * A in place. So rows are taken {@value #ROW_BLOCK} at a time: for each sliver, the block's runs are one
     * contiguous stretch of {@code ROW_BLOCK · MR} floats, while the reads advance along {@value #ROW_BLOCK} rows.
     */
    private void packTransposedA(int ic, int rows, int pc, int depth) {
        int fullSlivers = rows / MR;
        int tailRows = rows - fullSlivers * MR;
        int sliverSize = MR * depth;
        boolean vectorRuns = MR % LANES == 0;
        for (int p0 = 0; p0 < depth; p0 += ROW_BLOCK) {
            int p1 = Math.min(depth, p0 + ROW_BLOCK);
            for (int s = 0; s < fullSlivers; s++) {
                int to = s * sliverSize, column = ic + s * MR;
                for (int p = p0; p < p1; p++) {
                    int src = aOff + (pc + p) * lda + column, dst = to + p * MR;
                    if (vectorRuns) { // a run of MR values is MR / LANES vector copies
                        for (int r = 0; r < MR; r += LANES) {
                            FloatVector.fromArray(SPECIES, a, src + r).intoArray(packedA, dst + r);
                        }
                    } else { // MR = 6 with 8 or 16 lanes: plain copies (C2 unrolls the short run)
                        for (int r = 0; r < MR; r++) packedA[dst + r] = a[src + r];
                    }
                }
            }
            if (tailRows > 0) { // the last, partial sliver: its missing rows are zeros
                for (int p = p0; p < p1; p++) {
                    int from = aOff + (pc + p) * lda + ic + fullSlivers * MR;
                    int at = fullSlivers * sliverSize + p * MR;
                    for (int r = 0; r < tailRows; r++) packedA[at + r] = a[from + r];
                    for (int r = tailRows; r < MR; r++) packedA[at + r] = 0f;
                }
            }
        }
    }

    /** Rows of a transposed A packed together (see {@link #packTransposedA}). */
    private static final int ROW_BLOCK = 16;

    /** Sliver s holds op(B)[pc + p, jc + s·NR + j] at packedB[s·NR·depth + p·NR + j]; missing columns are zeros. */
    @Override
    void packB(int pc, int depth, int jc, int cols, int at) {
        for (int s = 0; s * NR < cols; s++) {
            int base = at + s * NR * depth;
            int sliverCols = Math.min(NR, cols - s * NR);
            int firstCol = jc + s * NR;
            if (transB) { // op(B)[p, j] = b[j·ldb + p]
                for (int j = 0; j < sliverCols; j++) {
                    int src = bOff + (firstCol + j) * ldb + pc;
                    for (int p = 0; p < depth; p++) packedB[base + p * NR + j] = b[src + p];
                }
                for (int j = sliverCols; j < NR; j++) {
                    for (int p = 0; p < depth; p++) packedB[base + p * NR + j] = 0f;
                }
            } else { // op(B)[p, j] = b[p·ldb + j]: each sliver row is a contiguous copy
                for (int p = 0; p < depth; p++) {
                    int src = bOff + (pc + p) * ldb + firstCol;
                    int dst = base + p * NR;
                    if (sliverCols == NR) { // vector copies beat a System.arraycopy call for one short row
                        for (int j = 0; j < NR; j += LANES) {
                            FloatVector.fromArray(SPECIES, b, src + j).intoArray(packedB, dst + j);
                        }
                    } else {
                        System.arraycopy(b, src, packedB, dst, sliverCols);
                        for (int j = sliverCols; j < NR; j++) packedB[dst + j] = 0f;
                    }
                }
            }
        }
    }

    @Override
    void microKernel(int depth, int aAt, int bAt, int row, int col, int rows, int cols, boolean firstPanel) {
        // A is read either in place, for a full sliver of an untransposed A (element (r, p) at
        // aOff + (row + r)·lda + depthStart + p: see packA), or from its packed sliver (at aAt + p·MR + r). Two
        // loops, not one with the strides in variables: with constant depth strides C2 proves every index in range
        // once per loop instead of checking 10 of them per step, which measured 215 → 265 GFLOP/s on one core.
        if (readsAInPlace(rows)) {
            tile.inPlace(depth, a, aOff + row * lda + packedDepthStart, lda, packedB, bAt, acc);
        } else {
            tile.packed(depth, packedA, aAt, sliverRowStep, packedB, bAt, acc);
        }
        writeBack(row, col, rows, cols, firstPanel ? beta : 1f, firstPanel && bias != null);
    }

    /**
     * C[row + r, col + j] = alpha · tile[r, j] + scaleC · C[row + r, col + j] (+ bias[col + j] when addBias, which
     * the first depth panel does so that the bias is added once); C is not read when scaleC = 0.
     */
    private void writeBack(int row, int col, int rows, int cols, float scaleC, boolean addBias) {
        float[] t = acc;
        if (cols == NR) {
            FloatVector alphaV = FloatVector.broadcast(SPECIES, alpha);
            FloatVector scaleV = FloatVector.broadcast(SPECIES, scaleC);
            for (int r = 0; r < rows; r++) {
                int at = cOff + (row + r) * ldc + col;
                for (int j = 0; j < NR; j += LANES) {
                    FloatVector out = FloatVector.fromArray(SPECIES, t, r * NR + j).mul(alphaV);
                    if (scaleC != 0f) out = FloatVector.fromArray(SPECIES, c, at + j).fma(scaleV, out);
                    if (addBias) out = out.add(FloatVector.fromArray(SPECIES, bias, biasOff + col + j));
                    out.intoArray(c, at + j);
                }
            }
            return;
        }
        for (int r = 0; r < rows; r++) {
            int at = cOff + (row + r) * ldc + col;
            for (int j = 0; j < cols; j++) {
                float product = t[r * NR + j] * alpha;
                // scaleC = 0 must overwrite C without reading it: 0 · NaN would be NaN. Otherwise one fused
                // multiply-add, as the vector path above: an edge tile gives the bits a full tile would.
                float out = scaleC == 0f ? product : Math.fma(c[at + j], scaleC, product);
                c[at + j] = addBias ? out + bias[biasOff + col + j] : out;
            }
        }
    }

    /** The activation, row by row over the finished block (the same bits as one pass over all of C: it is elementwise). */
    @Override
    void finishBlock(int row, int rows, int col, int cols) {
        if (activation == null) return;
        for (int r = row; r < row + rows; r++) {
            int at = cOff + r * ldc + col;
            UnaryKernels.apply(activation, 0, c, at, c, at, cols);
        }
    }

    @Override
    void scaleC(int rowFrom, int rowTo, int colFrom, int colTo) {
        for (int i = rowFrom; i < rowTo; i++) {
            int at = cOff + i * ldc;
            for (int j = colFrom; j < colTo; j++) {
                float scaled = beta == 0f ? 0f : beta * c[at + j];
                c[at + j] = bias == null ? scaled : scaled + bias[biasOff + j];
            }
        }
    }
}
