package dev.ranker4j.kernels.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Packing and the register-tiled micro-kernel of the float GEMM; the loop nest is {@link GemmLoops}.
 *
 * <p>Micro-tile: {@value #MR} rows × 2 vectors (2 · 16 = 32 columns with AVX-512). Each step of the depth loop
 * loads two B vectors, broadcasts {@value #MR} A values and issues 16 independent FMAs into 16 accumulator
 * registers: 16 + 2 + 1 = 19 of the 32 vector registers, and enough independent FMAs to cover the FMA latency
 * (4 cycles × 2 pipes = 8 in flight). Loads per FMA: 10 / 16.
 *
 * <p>A lesson measured here: the micro-kernel method must stay small. When the write-back to C was inlined into it,
 * C2 reached its inlining node budget, left some Vector API calls as real calls and boxed the accumulators into heap
 * objects: 20 GFLOP/s instead of 200 on one core. Hence the accumulators go to a small tile buffer and
 * {@code writeBack} (a separate method) merges them into C, adding the optional bias there.
 *
 * <p>One instance holds its packing buffers and the operands of the product being computed (bound by
 * {@link #bind}); it is used by one thread at a time.
 */
final class GemmF32 extends GemmLoops {

    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    static final int LANES = SPECIES.length();
    static final int MR = 8;
    static final int NR = 2 * LANES;
    /** One row of an A sliver, MR = 8 values, as one vector (256 bits, whatever the preferred shape). */
    private static final VectorSpecies<Float> SLIVER_ROW = FloatVector.SPECIES_256;

    private final float[] packedA = new float[packedASize()];
    private final float[] packedB = new float[packedBSize()];
    /** The micro-kernel's MR × NR result, before {@link #writeBack} merges its valid part into C. */
    private final float[] tile = new float[MR * NR];

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
    /** The first depth index of the current A panel (packA's pc), for reading A in place. */
    private int packedDepthStart;

    GemmF32() {
        super(MR, NR, 4);
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

    /** Drops the references to the caller's arrays so a cached instance does not keep them alive. */
    void unbind() {
        a = null;
        b = null;
        c = null;
        bias = null;
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
     * sliver i. So a is walked row by row, each run moved with one MR-lane vector load and store: the reads stream
     * through memory in order and the writes feed rows/MR sliver streams. Packing sliver by sliver instead read MR
     * values from each of {@code depth} rows a row apart, element by element (11 % of a training step, JFR).
     */
    private void packTransposedA(int ic, int rows, int pc, int depth) {
        int fullSlivers = rows / MR;
        int tailRows = rows - fullSlivers * MR;
        int sliverSize = MR * depth;
        for (int p = 0; p < depth; p++) {
            int src = aOff + (pc + p) * lda + ic;
            int dst = p * MR;
            for (int s = 0; s < fullSlivers; s++) {
                FloatVector.fromArray(SLIVER_ROW, a, src + s * MR).intoArray(packedA, dst + s * sliverSize);
            }
            if (tailRows > 0) { // the last, partial sliver: its missing rows are zeros
                int from = src + fullSlivers * MR;
                int at = dst + fullSlivers * sliverSize;
                for (int r = 0; r < tailRows; r++) packedA[at + r] = a[from + r];
                for (int r = tailRows; r < MR; r++) packedA[at + r] = 0f;
            }
        }
    }

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
                    if (sliverCols == NR) { // two vector copies beat a System.arraycopy call for one short row
                        FloatVector.fromArray(SPECIES, b, src).intoArray(packedB, dst);
                        FloatVector.fromArray(SPECIES, b, src + LANES).intoArray(packedB, dst + LANES);
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
            accumulateInPlace(depth, aOff + row * lda + packedDepthStart, bAt);
        } else {
            accumulatePacked(depth, aAt, bAt);
        }
        writeBack(row, col, rows, cols, firstPanel ? beta : 1f, firstPanel && bias != null);
    }

    /** tile = packed A sliver (at {@code aAt}, MR values per depth step) · B sliver (at {@code bAt}). */
    private void accumulatePacked(int depth, int aAt, int bAt) {
        FloatVector c00 = FloatVector.zero(SPECIES), c01 = FloatVector.zero(SPECIES);
        FloatVector c10 = FloatVector.zero(SPECIES), c11 = FloatVector.zero(SPECIES);
        FloatVector c20 = FloatVector.zero(SPECIES), c21 = FloatVector.zero(SPECIES);
        FloatVector c30 = FloatVector.zero(SPECIES), c31 = FloatVector.zero(SPECIES);
        FloatVector c40 = FloatVector.zero(SPECIES), c41 = FloatVector.zero(SPECIES);
        FloatVector c50 = FloatVector.zero(SPECIES), c51 = FloatVector.zero(SPECIES);
        FloatVector c60 = FloatVector.zero(SPECIES), c61 = FloatVector.zero(SPECIES);
        FloatVector c70 = FloatVector.zero(SPECIES), c71 = FloatVector.zero(SPECIES);
        float[] pa = packedA, pb = packedB;
        for (int p = 0; p < depth; p++) {
            int ai = aAt + p * MR;
            int bi = bAt + p * NR;
            FloatVector b0 = FloatVector.fromArray(SPECIES, pb, bi);
            FloatVector b1 = FloatVector.fromArray(SPECIES, pb, bi + LANES);
            FloatVector av = FloatVector.broadcast(SPECIES, pa[ai]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(SPECIES, pa[ai + 1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(SPECIES, pa[ai + 2]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(SPECIES, pa[ai + 3]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            av = FloatVector.broadcast(SPECIES, pa[ai + 4]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
            av = FloatVector.broadcast(SPECIES, pa[ai + 5]);
            c50 = av.fma(b0, c50);
            c51 = av.fma(b1, c51);
            av = FloatVector.broadcast(SPECIES, pa[ai + 6]);
            c60 = av.fma(b0, c60);
            c61 = av.fma(b1, c61);
            av = FloatVector.broadcast(SPECIES, pa[ai + 7]);
            c70 = av.fma(b0, c70);
            c71 = av.fma(b1, c71);
        }
        float[] t = tile;
        c00.intoArray(t, 0);
        c01.intoArray(t, LANES);
        c10.intoArray(t, NR);
        c11.intoArray(t, NR + LANES);
        c20.intoArray(t, 2 * NR);
        c21.intoArray(t, 2 * NR + LANES);
        c30.intoArray(t, 3 * NR);
        c31.intoArray(t, 3 * NR + LANES);
        c40.intoArray(t, 4 * NR);
        c41.intoArray(t, 4 * NR + LANES);
        c50.intoArray(t, 5 * NR);
        c51.intoArray(t, 5 * NR + LANES);
        c60.intoArray(t, 6 * NR);
        c61.intoArray(t, 6 * NR + LANES);
        c70.intoArray(t, 7 * NR);
        c71.intoArray(t, 7 * NR + LANES);
    }

    /** tile = the MR rows of A starting at {@code aAt}, read in place (row stride lda), · B sliver (at {@code bAt}). */
    private void accumulateInPlace(int depth, int aAt, int bAt) {
        FloatVector c00 = FloatVector.zero(SPECIES), c01 = FloatVector.zero(SPECIES);
        FloatVector c10 = FloatVector.zero(SPECIES), c11 = FloatVector.zero(SPECIES);
        FloatVector c20 = FloatVector.zero(SPECIES), c21 = FloatVector.zero(SPECIES);
        FloatVector c30 = FloatVector.zero(SPECIES), c31 = FloatVector.zero(SPECIES);
        FloatVector c40 = FloatVector.zero(SPECIES), c41 = FloatVector.zero(SPECIES);
        FloatVector c50 = FloatVector.zero(SPECIES), c51 = FloatVector.zero(SPECIES);
        FloatVector c60 = FloatVector.zero(SPECIES), c61 = FloatVector.zero(SPECIES);
        FloatVector c70 = FloatVector.zero(SPECIES), c71 = FloatVector.zero(SPECIES);
        int r1 = lda, r2 = 2 * lda, r3 = 3 * lda, r4 = 4 * lda, r5 = 5 * lda, r6 = 6 * lda, r7 = 7 * lda;
        float[] pa = a, pb = packedB;
        for (int p = 0; p < depth; p++) {
            int ai = aAt + p;
            int bi = bAt + p * NR;
            FloatVector b0 = FloatVector.fromArray(SPECIES, pb, bi);
            FloatVector b1 = FloatVector.fromArray(SPECIES, pb, bi + LANES);
            FloatVector av = FloatVector.broadcast(SPECIES, pa[ai]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(SPECIES, pa[ai + r1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(SPECIES, pa[ai + r2]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(SPECIES, pa[ai + r3]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            av = FloatVector.broadcast(SPECIES, pa[ai + r4]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
            av = FloatVector.broadcast(SPECIES, pa[ai + r5]);
            c50 = av.fma(b0, c50);
            c51 = av.fma(b1, c51);
            av = FloatVector.broadcast(SPECIES, pa[ai + r6]);
            c60 = av.fma(b0, c60);
            c61 = av.fma(b1, c61);
            av = FloatVector.broadcast(SPECIES, pa[ai + r7]);
            c70 = av.fma(b0, c70);
            c71 = av.fma(b1, c71);
        }
        float[] t = tile;
        c00.intoArray(t, 0);
        c01.intoArray(t, LANES);
        c10.intoArray(t, NR);
        c11.intoArray(t, NR + LANES);
        c20.intoArray(t, 2 * NR);
        c21.intoArray(t, 2 * NR + LANES);
        c30.intoArray(t, 3 * NR);
        c31.intoArray(t, 3 * NR + LANES);
        c40.intoArray(t, 4 * NR);
        c41.intoArray(t, 4 * NR + LANES);
        c50.intoArray(t, 5 * NR);
        c51.intoArray(t, 5 * NR + LANES);
        c60.intoArray(t, 6 * NR);
        c61.intoArray(t, 6 * NR + LANES);
        c70.intoArray(t, 7 * NR);
        c71.intoArray(t, 7 * NR + LANES);
    }

    /**
     * C[row + r, col + j] = alpha · tile[r, j] + scaleC · C[row + r, col + j] (+ bias[col + j] when addBias, which
     * the first depth panel does so that the bias is added once); C is not read when scaleC = 0.
     */
    private void writeBack(int row, int col, int rows, int cols, float scaleC, boolean addBias) {
        float[] t = tile;
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
                float product = alpha * t[r * NR + j];
                // scaleC = 0 must overwrite C without reading it: 0 · NaN would be NaN.
                float out = scaleC == 0f ? product : product + scaleC * c[at + j];
                c[at + j] = addBias ? out + bias[biasOff + col + j] : out;
            }
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
