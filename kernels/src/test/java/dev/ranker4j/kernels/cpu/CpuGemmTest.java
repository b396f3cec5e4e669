package dev.ranker4j.kernels.cpu;

import dev.ranker4j.kernels.ArrayKernels;
import dev.ranker4j.kernels.UnaryOp;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Builders;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * {@link CpuGemm} against {@link dev.ranker4j.kernels.ReferenceBackend} on random shapes and layouts: sizes that are not multiples of the
 * micro-tile (8 × 32 floats) nor of the vector width, sizes of 1 (and k = 0), all four transpose
 * combinations, padded leading dimensions, offsets, alpha and beta (beta = 0 with a NaN-filled C), broadcast batch
 * operands, and 1, 2 or 3 threads. A few fixed larger shapes cross the cache-block boundaries (KC, MC, NC).
 */
class CpuGemmTest {

    /** One CpuGemm per thread count, index = threads; pools are shared by all tries and closed at the end. */
    private static final Parallel[] POOLS = {null, new Parallel(1), new Parallel(2), new Parallel(3)};
    private static final CpuGemm[] GEMMS = {null, new CpuGemm(POOLS[1]), new CpuGemm(POOLS[2]), new CpuGemm(POOLS[3])};
    /** F64 products go through the backend, which runs them on the reference loops (the precision policy). */
    private static final CpuBackend F64_BACKEND = new CpuBackend(2);

    @AfterContainer
    static void closePools() {
        for (int threads = 1; threads < POOLS.length; threads++) POOLS[threads].close();
        F64_BACKEND.close();
    }

    @Property(tries = 200)
    void floatGemmMatchesReference(@ForAll("singleProducts") GemmCase t) {
        checkFloat(t);
    }

    @Property(tries = 200)
    void doubleGemmMatchesReference(@ForAll("singleProducts") GemmCase t) {
        checkDouble(t);
    }

    @Property(tries = 100)
    void floatBatchedGemmMatchesReference(@ForAll("batchedProducts") GemmCase t) {
        checkFloat(t);
    }

    @Property(tries = 100)
    void doubleBatchedGemmMatchesReference(@ForAll("batchedProducts") GemmCase t) {
        checkDouble(t);
    }

    /** The fused bias epilogue: C = alpha · op(A) · op(B) + beta · C + bias row. */
    @Property(tries = 100)
    void gemmBiasMatchesReference(@ForAll("singleProducts") GemmCase t) {
        double[] a = t.randomA(), b = t.randomB(), bias = t.randomBias(), c0 = t.initialC();
        CpuGemm gemm = GEMMS[t.threads()];
        float[] c = GemmCase.toFloat(c0);
        gemm.gemmBias(t.transA(), t.transB(), t.m(), t.n(), t.k(), (float) t.alpha(), GemmCase.toFloat(a), t.aOff(),
                t.lda(), GemmCase.toFloat(b), t.bOff(), t.ldb(), (float) t.beta(), c, t.cOff(), t.ldc(),
                GemmCase.toFloat(bias), t.biasOffset());
        t.assertMatchesReference(a, b, bias, c0, GemmCase.toDouble(c), GemmCase.FLOAT_ROUNDOFF);
        double[] cd = c0.clone();
        if (t.beta() != 0) return; // the SPI's gemmBias has no beta (C is overwritten), as every caller uses it
        ArrayKernels.gemmBias(F64_BACKEND, t.transA(), t.transB(), t.m(), t.n(), t.k(), t.alpha(), a, t.aOff(), t.lda(),
                b, t.bOff(), t.ldb(), cd, t.cOff(), t.ldc(), bias, t.biasOffset());
        t.assertMatchesReference(a, b, bias, c0, cd, GemmCase.DOUBLE_ROUNDOFF);
    }

    /**
     * The activation epilogue gives the bits of the product followed by a separate activation pass, on every path:
     * random shapes and layouts, no bias, several depth panels (resident B or not), column panels past NC, a single
     * row (the GEMV path) and k = 0.
     */
    @Property(tries = 100)
    void activationEpilogueEqualsASeparatePass(@ForAll("singleProducts") GemmCase t,
                                               @ForAll("activations") UnaryOp activation, @ForAll boolean withBias) {
        checkActivation(t, activation, withBias);
    }

    @Example
    void activationEpilogueOnLargeShapes() {
        long seed = 41;
        for (boolean transB : new boolean[] {false, true}) {
            checkActivation(GemmCase.of(1, false, transB, 300, 1100, 1000, 1, 2, 3, 5, 6, 7, false, false, 0,
                    1.0, 0.0, 2, seed++), UnaryOp.GELU_ERF, true);
            checkActivation(GemmCase.of(1, false, transB, 1, 200, 50, 0, 0, 0, 0, 0, 0, false, false, 0,
                    1.0, 0.0, 2, seed++), UnaryOp.GELU_TANH, true);
            checkActivation(GemmCase.of(1, true, transB, 37, 70, 0, 0, 0, 0, 0, 0, 0, false, false, 0,
                    1.0, 0.0, 1, seed++), UnaryOp.RELU, true);
        }
    }

    @Provide
    Arbitrary<UnaryOp> activations() {
        return Arbitraries.of(UnaryOp.GELU_ERF, UnaryOp.GELU_TANH, UnaryOp.RELU, UnaryOp.TANH);
    }

    private static void checkActivation(GemmCase t, UnaryOp activation, boolean withBias) {
        double[] a = t.randomA(), b = t.randomB(), bias = t.randomBias(), c0 = t.initialC();
        CpuGemm gemm = GEMMS[t.threads()];
        float[] fa = GemmCase.toFloat(a), fb = GemmCase.toFloat(b), fBias = withBias ? GemmCase.toFloat(bias) : null;
        float[] separate = GemmCase.toFloat(c0), fused = GemmCase.toFloat(c0);
        gemm.gemmBias(t.transA(), t.transB(), t.m(), t.n(), t.k(), (float) t.alpha(), fa, t.aOff(), t.lda(), fb,
                t.bOff(), t.ldb(), 0f, separate, t.cOff(), t.ldc(), fBias, t.biasOffset(), null);
        for (int row = 0; row < t.m(); row++) {
            int at = t.cOff() + row * t.ldc();
            UnaryKernels.apply(activation, 0, separate, at, separate, at, t.n());
        }
        gemm.gemmBias(t.transA(), t.transB(), t.m(), t.n(), t.k(), (float) t.alpha(), fa, t.aOff(), t.lda(), fb,
                t.bOff(), t.ldb(), 0f, fused, t.cOff(), t.ldc(), fBias, t.biasOffset(), activation);
        org.junit.jupiter.api.Assertions.assertArrayEquals(separate, fused, activation + " after " + t);
    }

    /** The bias is added once even when k spans several depth panels, and on column panels past NC. */
    @Example
    void gemmBiasOnLargeShapes() {
        GemmCase t = GemmCase.of(1, false, true, 20, 1100, 600, 1, 0, 2, 3, 1, 0, false, false, 0, 1.0, 0.5, 2, 99);
        double[] a = t.randomA(), b = t.randomB(), bias = t.randomBias(), c0 = t.initialC();
        float[] c = GemmCase.toFloat(c0);
        GEMMS[2].gemmBias(false, true, t.m(), t.n(), t.k(), 1f, GemmCase.toFloat(a), t.aOff(), t.lda(),
                GemmCase.toFloat(b), t.bOff(), t.ldb(), 0.5f, c, t.cOff(), t.ldc(), GemmCase.toFloat(bias),
                t.biasOffset());
        t.assertMatchesReference(a, b, bias, c0, GemmCase.toDouble(c), GemmCase.FLOAT_ROUNDOFF);
    }

    /** Crosses every cache-block boundary: k > KC (two depth panels), m > MC (two row blocks), n > NC (two column panels). */
    @Example
    void largeShapesCrossCacheBlocks() {
        long seed = 11;
        for (boolean transA : new boolean[] {false, true}) {
            for (boolean transB : new boolean[] {false, true}) {
                checkFloat(GemmCase.of(1, transA, transB, 300, 90, 520, 1, 2, 3, 5, 6, 7, false, false, 0,
                        1.0, 0.5, 2, seed++));
            }
        }
        // Few rows, many columns: split across threads by columns, and more columns than one NC panel.
        checkFloat(GemmCase.of(1, false, true, 9, 1100, 70, 0, 1, 0, 0, 3, 2, false, false, 0, -1.5, 0.0, 3, seed++));
        checkDouble(GemmCase.of(1, true, false, 270, 1040, 260, 3, 0, 1, 1, 0, 4, false, false, 0, 0.75, 1.0, 2, seed++));
        // Many columns, untransposed A: 5 full slivers read in place across 10 column slivers, the 5-row tail packed.
        checkFloat(GemmCase.of(1, false, false, 45, 300, 33, 2, 1, 0, 3, 0, 1, false, false, 0, 1.0, -1.25, 1, seed++));
        checkDouble(GemmCase.of(1, false, true, 45, 300, 33, 2, 1, 0, 3, 0, 1, false, false, 0, 1.0, -1.25, 1, seed));
    }

    /** The attention shape of a BERT-mini layer, scaled down in batch: Q · Kᵀ per head, 2 threads split the batch. */
    @Example
    void attentionShapedBatch() {
        checkFloat(GemmCase.of(12, false, true, 128, 128, 32, 0, 0, 0, 0, 0, 0, false, false, 0, 0.125, 0.0, 2, 5));
        checkDouble(GemmCase.of(12, false, false, 128, 32, 128, 0, 0, 0, 0, 0, 0, false, false, 0, 1.0, 0.0, 3, 6));
    }

    @Example
    void badArgumentsAreRejectedWithTheirNumbers() {
        CpuGemm gemm = GEMMS[1];
        float[] a = new float[6], b = new float[6], c = new float[4];
        IllegalArgumentException shortLda = assertThrows(IllegalArgumentException.class,
                () -> gemm.gemm(false, false, 2, 2, 3, 1f, a, 0, 2, b, 0, 2, 0f, c, 0, 2));
        assertTrue(shortLda.getMessage().contains("A stored as [2, 3] with ld=2"), shortLda.getMessage());
        IllegalArgumentException tooShort = assertThrows(IllegalArgumentException.class,
                () -> gemm.gemm(false, false, 2, 2, 3, 1f, a, 1, 3, b, 0, 2, 0f, c, 0, 2));
        assertTrue(tooShort.getMessage().contains("needs 7 elements, array has 6"), tooShort.getMessage());
        IllegalArgumentException broadcastC = assertThrows(IllegalArgumentException.class,
                () -> gemm.batchedGemm(2, false, false, 2, 2, 3, 1f, a, 0, 0, 3, b, 0, 0, 2, 0f, c, 0, 0, 2));
        assertTrue(broadcastC.getMessage().contains("strideC=0"), broadcastC.getMessage());
        IllegalArgumentException shortBias = assertThrows(IllegalArgumentException.class,
                () -> gemm.gemmBias(false, false, 2, 2, 3, 1f, a, 0, 3, b, 0, 2, 0f, c, 0, 2, new float[2], 1));
        assertTrue(shortBias.getMessage().contains("bias of n=2 at offset 1 needs 3 elements"), shortBias.getMessage());
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> gemm.gemm(false, false, -1, 2, 3, 1f, a, 0, 3, b, 0, 2, 0f, c, 0, 2));
        assertTrue(negative.getMessage().contains("m=-1"), negative.getMessage());
    }

    private static void checkFloat(GemmCase t) {
        double[] a = t.randomA(), b = t.randomB(), c0 = t.initialC();
        float[] c = GemmCase.toFloat(c0);
        CpuGemm gemm = GEMMS[t.threads()];
        if (t.batch() == 1 && t.strideC() >= 0 && t.seed() % 2 == 0) { // the plain entry point, half of the time
            gemm.gemm(t.transA(), t.transB(), t.m(), t.n(), t.k(), (float) t.alpha(), GemmCase.toFloat(a), t.aOff(),
                    t.lda(), GemmCase.toFloat(b), t.bOff(), t.ldb(), (float) t.beta(), c, t.cOff(), t.ldc());
        } else {
            gemm.batchedGemm(t.batch(), t.transA(), t.transB(), t.m(), t.n(), t.k(), (float) t.alpha(),
                    GemmCase.toFloat(a), t.aOff(), t.strideA(), t.lda(), GemmCase.toFloat(b), t.bOff(), t.strideB(),
                    t.ldb(), (float) t.beta(), c, t.cOff(), t.strideC(), t.ldc());
        }
        t.assertMatchesReference(a, b, c0, GemmCase.toDouble(c), GemmCase.FLOAT_ROUNDOFF);
    }

    private static void checkDouble(GemmCase t) {
        double[] a = t.randomA(), b = t.randomB(), c0 = t.initialC();
        double[] c = c0.clone();
        if (t.batch() == 1 && t.seed() % 2 == 0) {
            ArrayKernels.gemm(F64_BACKEND, t.transA(), t.transB(), t.m(), t.n(), t.k(), t.alpha(), a, t.aOff(),
                    t.lda(), b, t.bOff(), t.ldb(), t.beta(), c, t.cOff(), t.ldc());
        } else {
            ArrayKernels.batchedGemm(F64_BACKEND, t.batch(), t.transA(), t.transB(), t.m(), t.n(), t.k(), t.alpha(),
                    a, t.aOff(), t.strideA(), t.lda(), b, t.bOff(), t.strideB(), t.ldb(), t.beta(), c, t.cOff(),
                    t.strideC(), t.ldc());
        }
        t.assertMatchesReference(a, b, c0, c, GemmCase.DOUBLE_ROUNDOFF);
    }

    @Provide
    Arbitrary<GemmCase> singleProducts() {
        return cases(Arbitraries.just(1));
    }

    @Provide
    Arbitrary<GemmCase> batchedProducts() {
        return cases(Arbitraries.integers().between(1, 7));
    }

    /** Mostly small sizes (fast tries), often 1, sometimes up to a few micro-tiles; k may be 0. */
    private static Arbitrary<GemmCase> cases(Arbitrary<Integer> batches) {
        Arbitrary<Integer> dim = Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.just(1)),
                Tuple.of(6, Arbitraries.integers().between(1, 40)),
                Tuple.of(2, Arbitraries.integers().between(41, 100)));
        Arbitrary<Integer> depth = Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just(0)),
                Tuple.of(9, dim));
        Arbitrary<Integer> pad = Arbitraries.integers().between(0, 4);
        Arbitrary<Integer> offset = Arbitraries.integers().between(0, 6);
        return Builders.withBuilder(() -> new Object[19])
                .use(batches).in((f, v) -> set(f, 0, v))
                .use(Arbitraries.of(false, true)).in((f, v) -> set(f, 1, v))
                .use(Arbitraries.of(false, true)).in((f, v) -> set(f, 2, v))
                .use(dim).in((f, v) -> set(f, 3, v))
                .use(dim).in((f, v) -> set(f, 4, v))
                .use(depth).in((f, v) -> set(f, 5, v))
                .use(pad).in((f, v) -> set(f, 6, v))
                .use(pad).in((f, v) -> set(f, 7, v))
                .use(pad).in((f, v) -> set(f, 8, v))
                .use(offset).in((f, v) -> set(f, 9, v))
                .use(offset).in((f, v) -> set(f, 10, v))
                .use(offset).in((f, v) -> set(f, 11, v))
                .use(Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.just(false)), Tuple.of(1, Arbitraries.just(true))))
                .in((f, v) -> set(f, 12, v))
                .use(Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.just(false)), Tuple.of(1, Arbitraries.just(true))))
                .in((f, v) -> set(f, 13, v))
                .use(Arbitraries.integers().between(0, 5)).in((f, v) -> set(f, 14, v))
                .use(Arbitraries.of(1.0, -0.5, 2.25, 0.0)).in((f, v) -> set(f, 15, v))
                .use(Arbitraries.of(0.0, 1.0, 0.5, -1.25)).in((f, v) -> set(f, 16, v))
                .use(Arbitraries.integers().between(1, 3)).in((f, v) -> set(f, 17, v))
                .use(Arbitraries.longs()).in((f, v) -> set(f, 18, v))
                .build(f -> GemmCase.of((int) f[0], (boolean) f[1], (boolean) f[2], (int) f[3], (int) f[4],
                        (int) f[5], (int) f[6], (int) f[7], (int) f[8], (int) f[9], (int) f[10], (int) f[11],
                        (boolean) f[12], (boolean) f[13], (int) f[14], (double) f[15], (double) f[16],
                        (int) f[17], (long) f[18]));
    }

    private static Object[] set(Object[] fields, int index, Object value) {
        fields[index] = value;
        return fields;
    }
}
