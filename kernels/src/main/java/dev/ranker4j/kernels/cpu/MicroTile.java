package dev.ranker4j.kernels.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import java.util.Locale;

/**
 * A register tile of the float GEMM: {@link #rows} rows × {@link #vectors} vectors of C kept in registers while the
 * depth loop streams A and B, one family per vector shape (see {@link VectorShape}), chosen once at class
 * initialisation:
 * <pre>
 *   registers  vector bits  GEMM tile ({@link #forGemm})   attention tile ({@link #forAttention})
 *      32        256, 512     8 × 2  ({@link Tile8x2})        8 × 2
 *      32          128        8 × 3  ({@link Tile8x3})        8 × 2   (head widths 32, 64: a multiple of 2 vectors)
 *      16        any          6 × 2  ({@link Tile6x2})        6 × 2
 * </pre>
 * ({@code -Dranker4j.gemm.tile=RxV} and {@code -Dranker4j.attention.tile=RxV} override the choice, for tuning.)
 * Measured on the 2-core AMD EPYC (Zen 4) with each shape emulated, one thread, thread CPU time, (4096, 384, 1536)
 * and (4096, 1536, 384), three alternating rounds (docs/BENCHMARKS.md): AVX2 6 × 2 92–98 GFLOP/s of a 106 peak,
 * 8 × 2 52–56 (spills), 4 × 3 43–45 (spills); AVX-512 8 × 2 95–100 of 118, 12 × 2 93–101, 8 × 3 92–97;
 * 128-bit with 32 registers 8 × 3 43–45 of 59, 12 × 2 42, 8 × 2 40–41, 6 × 2 39–42; 128-bit with 16 registers
 * 6 × 2 49–52 of 55, 4 × 3 26.
 *
 * <p>Every family computes each element of C as ONE chain of fused multiply-adds over the depth, from p = 0 up,
 * starting at zero (then times alpha), whatever its tile: lanes are elements, and a tile only decides which elements
 * share a depth loop. So the bits of a product never depend on the tile, the vector width or the thread count
 * ({@link #reference} is that chain in scalar code, and the tests hold every family to it bitwise). Only the depth
 * panels of {@link GemmLoops} (cut by k alone) regroup a long sum, the same way on every machine.
 *
 * <p>The three loops of a family, each for one operand layout (a loop with its strides in variables is slower than
 * one with constant strides: C2 then checks array bounds in every step instead of once per loop):
 * <ul>
 *   <li>{@link #packed}: A packed depth-major (A[r, p] at {@code a[aAt + p·rows + r]}; see there why the 1 is a
 *       parameter) and B packed
 *       (B[p, j] at {@code b[bAt + p·columns + j]}); the result goes to {@code tile[r·columns + j]};</li>
 *   <li>{@link #inPlace}: the same with A read where it lies, row r at {@code a[aAt + r·lda + p]};</li>
 *   <li>{@link #strided}: A[r, p] at {@code a[aAt + r·rowStep + p·depthStep]} (so Aᵀ is A with its steps swapped),
 *       B rows {@code ldb} apart, C = alpha · acc written straight to {@code c[cAt + r·ldc + j]}: the unpacked small
 *       products of {@link AttentionGemm}.</li>
 * </ul>
 */
abstract class MicroTile {
    private static final VectorSpecies<Float> SPECIES = VectorShape.SPECIES;
    private static final int LANES = VectorShape.LANES;

    /** B blocks up to this many floats (16 KiB) are read from L1 whatever the loop order: see {@link #multiply}. */
    private static final int SMALL_B_FLOATS = 4096;

    private static final MicroTile GEMM = named(System.getProperty("ranker4j.gemm.tile"), defaultGemmTile());
    private static final MicroTile ATTENTION = named(System.getProperty("ranker4j.attention.tile"),
            VectorShape.REGISTERS >= 32 ? "8x2" : "6x2");

    /** Rows of C per tile. */
    final int rows;
    /** Vectors of C per tile row. */
    final int vectors;
    /** Columns of C per tile: vectors · lanes. */
    final int columns;

    MicroTile(int rows, int vectors) {
        this.rows = rows;
        this.vectors = vectors;
        this.columns = vectors * LANES;
    }

    /** The GEMM's tile on this machine. */
    static MicroTile forGemm() {
        return GEMM;
    }

    /** The fused attention's tile on this machine (its column count divides the usual head widths). */
    static MicroTile forAttention() {
        return ATTENTION;
    }

    private static String defaultGemmTile() {
        if (VectorShape.REGISTERS < 32) return "6x2";
        return VectorShape.BITS <= 128 ? "8x3" : "8x2";
    }

    /** The family called {@code "RxV"} (rows × vectors); {@code name} null gives {@code fallback}. */
    static MicroTile named(String name, String fallback) {
        String chosen = name == null ? fallback : name.trim().toLowerCase(Locale.ROOT);
        return switch (chosen) {
            case "8x2" -> new Tile8x2();
            case "6x2" -> new Tile6x2();
            case "8x3" -> new Tile8x3();
            default -> throw new IllegalArgumentException("unknown register tile '" + name
                    + "' (ranker4j.gemm.tile / ranker4j.attention.tile): expected 8x2, 6x2 or 8x3");
        };
    }

    /** "RxV", e.g. "6x2". */
    final String name() {
        return rows + "x" + vectors;
    }

    @Override
    public String toString() {
        return name() + " (" + columns + " columns)";
    }

    /**
     * tile = A · B over {@code depth}, both packed (see the class comment), row r of A at offset r · rowStep within
     * each depth step. The caller passes rowStep = 1 from a field C2 cannot fold: with the row offsets as constants
     * C2 compiled the 16-register tiles' loop to half its speed (6 × 2 with AVX2: 47 against 112 GFLOP/s on one core
     * for the in-place loop; with the offsets in variables, 112), presumably scheduling all the A loads of a step
     * ahead of the FMAs, which 16 registers cannot hold.
     */
    abstract void packed(int depth, float[] a, int aAt, int rowStep, float[] b, int bAt, float[] tile);

    /** tile = A · B over {@code depth}, A's rows read in place {@code lda} apart, B packed. */
    abstract void inPlace(int depth, float[] a, int aAt, int lda, float[] b, int bAt, float[] tile);

    /** C = alpha · A · B for one full tile, A through its two steps, B rows {@code ldb} apart, C written. */
    abstract void strided(int depth, float alpha, float[] a, int aAt, int rowStep, int depthStep,
                          float[] b, int bAt, int ldb, float[] c, int cAt, int ldc);

    /**
     * C[i, j] = alpha · Σ_{p < depth} A[i, p] · B[p, j] for i < rows (any count) and j < cols (a multiple of
     * {@link #columns}), A[i, p] = a[aOff + i·aRowStep + p·aDepthStep], B[p, j] = b[bOff + p·ldb + j],
     * C[i, j] = c[cOff + i·ldc + j]: whole tiles, then the rows short of a tile one at a time (the same chains).
     * C is written, never read.
     */
    final void multiply(int rows, int cols, int depth, float alpha, float[] a, int aOff, int aRowStep, int aDepthStep,
                        float[] b, int bOff, int ldb, float[] c, int cOff, int ldc) {
        int wholeRows = rows - rows % this.rows;
        if ((long) depth * cols <= SMALL_B_FLOATS) {
            // All of B fits L1 with room to spare (the attention scores' 32 × 128): row tiles outside, so C is
            // written row block by row block, front to back, which measured 7–10 % faster when C streams to memory
            // (384 products of 128 × 128, one thread, thread CPU time, AVX-512 and AVX2).
            for (int i = 0; i < wholeRows; i += this.rows) {
                for (int j = 0; j < cols; j += columns) {
                    strided(depth, alpha, a, aOff + i * aRowStep, aRowStep, aDepthStep, b, bOff + j, ldb,
                            c, cOff + i * ldc + j, ldc);
                }
            }
        } else {
            // Column tiles outside: one B sliver (depth × columns, 16 KiB at depth 128 × 32) stays in L1 across the rows.
            for (int j = 0; j < cols; j += columns) {
                for (int i = 0; i < wholeRows; i += this.rows) {
                    strided(depth, alpha, a, aOff + i * aRowStep, aRowStep, aDepthStep, b, bOff + j, ldb,
                            c, cOff + i * ldc + j, ldc);
                }
            }
        }
        for (int j = 0; j < cols; j += columns) {
            for (int i = wholeRows; i < rows; i++) {
                row(depth, alpha, a, aOff + i * aRowStep, aDepthStep, b, bOff + j, ldb, c, cOff + i * ldc + j);
            }
        }
    }

    /** One row of a tile, vector by vector: the rows of {@link #multiply} short of a whole tile. */
    private void row(int depth, float alpha, float[] a, int aAt, int depthStep, float[] b, int bAt, int ldb,
                     float[] c, int cAt) {
        for (int v = 0; v < vectors; v++) {
            FloatVector acc = FloatVector.zero(SPECIES);
            for (int p = 0; p < depth; p++) {
                acc = FloatVector.broadcast(SPECIES, a[aAt + p * depthStep])
                        .fma(FloatVector.fromArray(SPECIES, b, bAt + p * ldb + v * LANES), acc);
            }
            acc.mul(alpha).intoArray(c, cAt + v * LANES);
        }
    }

    /**
     * The scalar twin of every loop above: C[i, j] = alpha · (one FMA chain over p from zero) for i < rows,
     * j < cols, with A[i, p] = a[aOff + i·aRowStep + p·aDepthStep], B[p, j] = b[bOff + p·ldb + j],
     * C[i, j] = c[cOff + i·ldc + j]. The vector loops return exactly these bits.
     */
    static void reference(int rows, int cols, int depth, float alpha, float[] a, int aOff, int aRowStep,
                          int aDepthStep, float[] b, int bOff, int ldb, float[] c, int cOff, int ldc) {
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                float acc = 0f;
                for (int p = 0; p < depth; p++) {
                    acc = Math.fma(a[aOff + i * aRowStep + p * aDepthStep], b[bOff + p * ldb + j], acc);
                }
                c[cOff + i * ldc + j] = acc * alpha;
            }
        }
    }
}
