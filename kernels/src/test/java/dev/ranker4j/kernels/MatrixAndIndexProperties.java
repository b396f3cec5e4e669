package dev.ranker4j.kernels;

import static dev.ranker4j.kernels.KernelCheck.check;
import static dev.ranker4j.kernels.KernelCheck.copy;
import static dev.ranker4j.kernels.KernelCheck.f32;
import static dev.ranker4j.kernels.KernelCheck.f64;

import dev.ranker4j.kernels.KernelCheck.Tolerance;

import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * CpuBackend vs ReferenceBackend through the Backend interface for GEMM (the GEMM's own, deeper properties live in
 * CpuGemmProperties) and for the gather/scatter kernels.
 */
class MatrixAndIndexProperties {

    @Property(tries = 100)
    @Covers({"gemm"})
    void gemmThroughTheBackendMatchesReference(@ForAll boolean f64, @ForAll boolean transA, @ForAll boolean transB,
                                               @ForAll boolean batched, @ForAll long seed) {
        Random random = new Random(seed);
        int m = 1 + random.nextInt(20), n = 1 + random.nextInt(40), k = 1 + random.nextInt(20);
        int batch = batched ? 1 + random.nextInt(3) : 1;
        int lda = (transA ? m : k) + random.nextInt(3), ldb = (transB ? k : n) + random.nextInt(3);
        int ldc = n + random.nextInt(3);
        int aMatrix = (transA ? k : m) * lda, bMatrix = (transB ? n : k) * ldb, cMatrix = m * ldc;
        int strideA = batched && random.nextInt(3) == 0 ? 0 : aMatrix, strideB = bMatrix, strideC = cMatrix;
        int aOff = random.nextInt(3), bOff = random.nextInt(3), cOff = random.nextInt(3);
        double[] a = RandomLayouts.values(random, aOff + batch * aMatrix, 1);
        double[] b = RandomLayouts.values(random, bOff + batch * bMatrix, 1);
        double[] c0 = RandomLayouts.values(random, cOff + batch * cMatrix, 1);
        double alpha = random.nextBoolean() ? 1 : (float) random.nextGaussian();
        double beta = random.nextBoolean() ? 0 : (float) random.nextGaussian();
        if (beta == 0) java.util.Arrays.fill(c0, Double.NaN); // beta = 0 must ignore C, even NaN
        Tolerance tolerance = f64 ? new Tolerance(1e-12, 1e-13 * k) : new Tolerance(1e-5, 2e-6 * k);
        check("gemm " + m + "x" + k + "x" + n + " batch " + batch, backend -> {
            if (f64) {
                double[] c = copy(c0);
                if (batched) ArrayKernels.batchedGemm(backend, batch, transA, transB, m, n, k, alpha, a, aOff, strideA, lda, b, bOff,
                        strideB, ldb, beta, c, cOff, strideC, ldc);
                else ArrayKernels.gemm(backend, transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
                return new double[][]{c};
            }
            float[] c = f32(c0);
            if (batched) ArrayKernels.batchedGemm(backend, batch, transA, transB, m, n, k, (float) alpha, f32(a), aOff, strideA, lda,
                    f32(b), bOff, strideB, ldb, (float) beta, c, cOff, strideC, ldc);
            else ArrayKernels.gemm(backend, transA, transB, m, n, k, (float) alpha, f32(a), aOff, lda, f32(b), bOff, ldb,
                    (float) beta, c, cOff, ldc);
            return new double[][]{f64(c)};
        }, tolerance);
    }

    /** A linear layer's two kernels: gemmBias, and gemmBiasActivation with or without a bias. */
    @Property(tries = 120)
    @Covers({"gemmBias", "gemmBiasActivation"})
    void linearLayerKernelsMatchReference(@ForAll boolean f64, @ForAll boolean transA, @ForAll boolean transB,
                                          @ForAll long seed) {
        Random random = new Random(seed);
        int m = 1 + random.nextInt(20), n = 1 + random.nextInt(40), k = random.nextInt(20);
        int lda = Math.max(1, (transA ? m : k) + random.nextInt(3)), ldb = Math.max(1, (transB ? k : n) + random.nextInt(3));
        int ldc = n + (random.nextBoolean() ? 0 : random.nextInt(3)); // ldc = n is the one-pass path of the defaults
        int aOff = random.nextInt(3), bOff = random.nextInt(3), cOff = random.nextInt(3), biasOff = random.nextInt(3);
        double[] a = RandomLayouts.values(random, aOff + (transA ? k : m) * lda, 1);
        double[] b = RandomLayouts.values(random, bOff + (transB ? n : k) * ldb, 1);
        double[] bias = RandomLayouts.values(random, biasOff + n, 1);
        double[] c0 = new double[cOff + m * ldc];
        java.util.Arrays.fill(c0, Double.NaN); // C's old contents are ignored, even NaN (the gaps between rows stay NaN)
        double alpha = random.nextBoolean() ? 1 : (float) random.nextGaussian();
        // null: gemmBias; otherwise gemmBiasActivation, without a bias one time in three
        UnaryOp activation = random.nextBoolean() ? null
                : List.of(UnaryOp.GELU_ERF, UnaryOp.GELU_TANH, UnaryOp.RELU).get(random.nextInt(3));
        boolean withBias = activation == null || random.nextInt(3) > 0;
        GemmShape shape = GemmShape.of(transA, transB, m, n, k);
        double widen = activation == null ? 1 : 2; // the activations' slopes are at most 1.13
        Tolerance tolerance = f64 ? new Tolerance(1e-12 * widen, 1e-13 * widen * (k + 1))
                : new Tolerance(1e-5 * widen, 2e-6 * widen * (k + 1));
        check((activation == null ? "gemmBias " : "gemmBiasActivation " + activation + " ") + m + "x" + k + "x" + n,
                false, backend -> {
            double[] cd = copy(c0);
            float[] cf = f32(c0);
            Matrix am = f64 ? Matrix.of(a, aOff, lda) : Matrix.of(f32(a), aOff, lda);
            Matrix bm = f64 ? Matrix.of(b, bOff, ldb) : Matrix.of(f32(b), bOff, ldb);
            Matrix cm = f64 ? Matrix.of(cd, cOff, ldc) : Matrix.of(cf, cOff, ldc);
            ArrayRef biasRef = !withBias ? null : f64 ? ArrayRef.of(bias, biasOff) : ArrayRef.of(f32(bias), biasOff);
            if (activation == null) backend.gemmBias(shape, alpha, am, bm, cm, biasRef);
            else backend.gemmBiasActivation(shape, alpha, am, bm, cm, biasRef, activation);
            return new double[][]{f64 ? cd : f64(cf)};
        }, tolerance);
    }

    @Property(tries = 60)
    @Covers({"attention"})
    void attentionMatchesReference(@ForAll boolean f64, @ForAll boolean masked, @ForAll long seed) {
        Random random = new Random(seed);
        int batch = 1 + random.nextInt(3), heads = 1 + random.nextInt(3), seqQ = 1 + random.nextInt(9);
        int seqK = 1 + random.nextInt(9), d = 1 + random.nextInt(6), width = heads * d;
        // Row strides wider than heads·d: q, k, v are column windows of one fused projection in the model.
        int qStride = width + random.nextInt(3), kStride = width + random.nextInt(3), vStride = width + random.nextInt(3);
        int outStride = width + random.nextInt(2);
        int qOff = random.nextInt(3), kOff = random.nextInt(3), vOff = random.nextInt(3), outOff = random.nextInt(3);
        double[] q = RandomLayouts.values(random, qOff + batch * seqQ * qStride, 1);
        double[] k = RandomLayouts.values(random, kOff + batch * seqK * kStride, 1);
        double[] v = RandomLayouts.values(random, vOff + batch * seqK * vStride, 1);
        int maskOff = random.nextInt(3);
        double[] mask = null;
        if (masked) {
            mask = new double[maskOff + batch * seqK];
            for (int i = maskOff; i < mask.length; i++) mask[i] = (i - maskOff) % seqK != 0 && random.nextInt(3) == 0 ? -1e9 : 0;
        }
        double scale = 1 / Math.sqrt(d);
        AttentionDropout dropout = randomDropout(random);
        double[] out0 = new double[outOff + batch * seqQ * outStride];
        java.util.Arrays.fill(out0, Double.NaN); // out is written, never read; the gaps keep their NaN
        double[] maskF = mask;
        Tolerance tolerance = f64 ? new Tolerance(1e-12, 1e-12) : new Tolerance(2e-6, 2e-5);
        check("attention b" + batch + " h" + heads + " " + seqQ + "x" + seqK + " d" + d + " dropout " + dropout, false, backend -> {
            if (f64) {
                double[] out = copy(out0);
                ArrayKernels.attention(backend, batch, heads, seqQ, seqK, d, scale, q, qOff, qStride, k, kOff, kStride,
                        v, vOff, vStride, maskF, maskOff, dropout, out, outOff, outStride);
                return new double[][]{out};
            }
            float[] out = f32(out0);
            ArrayKernels.attention(backend, batch, heads, seqQ, seqK, d, (float) scale, f32(q), qOff, qStride, f32(k), kOff, kStride,
                    f32(v), vOff, vStride, f32(maskF), maskOff, dropout, out, outOff, outStride);
            return new double[][]{f64(out)};
        }, tolerance);
    }

    /**
     * Unpacked: q, k, v, dO and the three gradients each in an array of its own with a random row stride. Packed: q,
     * k and v are the column thirds of one [tokens, 3·heads·d] array (self-attention, seqQ = seqK) and dQ, dK, dV
     * the thirds of one packed gradient, as the autograd op hands them over.
     */
    @Property(tries = 60)
    @Covers({"attentionBackward"})
    void attentionBackwardMatchesReference(@ForAll boolean f64, @ForAll boolean masked, @ForAll boolean packed,
                                           @ForAll long seed) {
        Random random = new Random(seed);
        // Lengths past 16 and 32 too: the CPU kernel transposes K and V 16 rows at a time and pads to 32. A quarter of
        // the cases are shaped like a BERT head (d = 32, lengths a multiple of 8), which it reads and writes in place.
        boolean bertLike = random.nextInt(4) == 0;
        int longest = random.nextBoolean() ? 11 : 40;
        int batch = 1 + random.nextInt(3), heads = 1 + random.nextInt(3);
        int seqQ = bertLike ? 8 * (1 + random.nextInt(5)) : 1 + random.nextInt(longest);
        int seqK = packed ? seqQ : bertLike ? 8 * (1 + random.nextInt(5)) : 1 + random.nextInt(longest);
        int d = bertLike ? 32 : 1 + random.nextInt(random.nextBoolean() ? 7 : 40), width = heads * d;
        int[] strides = new int[7], offsets = new int[7]; // q, k, v, dOut, dq, dk, dv
        for (int i = 0; i < 7; i++) {
            strides[i] = packed && i != 3 ? 3 * width : width + random.nextInt(3);
            offsets[i] = packed && i != 3 ? (i < 3 ? i : i - 4) * width : random.nextInt(3);
        }
        int[] rows = {seqQ, seqK, seqK, seqQ, seqQ, seqK, seqK};
        double[][] inputs = new double[4][];
        for (int i = 0; i < 4; i++) {
            inputs[i] = packed && i > 0 && i < 3 ? inputs[0]
                    : RandomLayouts.values(random, offsets[i] + batch * rows[i] * strides[i], 1);
        }
        int maskOff = random.nextInt(3);
        double[] mask = null;
        if (masked) {
            mask = new double[maskOff + batch * seqK];
            for (int i = maskOff; i < mask.length; i++) {
                mask[i] = (i - maskOff) % seqK != 0 && random.nextInt(3) == 0 ? -1e9 : 0;
            }
            if (random.nextInt(4) == 0) java.util.Arrays.fill(mask, maskOff, maskOff + seqK, -1e9); // all masked
        }
        double scale = 1 / Math.sqrt(d);
        AttentionDropout dropout = randomDropout(random);
        double[] maskF = mask;
        // The gradients are written, never read: they start as NaN, and the gaps between their rows stay NaN.
        int gradients = packed ? 1 : 3;
        double[][] out0 = new double[gradients][];
        for (int g = 0; g < gradients; g++) {
            out0[g] = new double[offsets[4 + g] + batch * rows[4 + g] * strides[4 + g]];
            java.util.Arrays.fill(out0[g], Double.NaN);
        }
        Tolerance tolerance = f64 ? new Tolerance(1e-11, 1e-12) : new Tolerance(2e-5, 2e-5);
        String what = "attentionBackward b" + batch + " h" + heads + " " + seqQ + "x" + seqK + " d" + d
                + (packed ? " packed" : "") + (masked ? " masked" : "") + " dropout " + dropout;
        check(what, backend -> {
            if (f64) {
                double[][] out = new double[gradients][];
                for (int g = 0; g < gradients; g++) out[g] = copy(out0[g]);
                ArrayKernels.attentionBackward(backend, batch, heads, seqQ, seqK, d, scale, inputs[0], offsets[0], strides[0],
                        inputs[1], offsets[1], strides[1], inputs[2], offsets[2], strides[2], maskF, maskOff, dropout,
                        inputs[3], offsets[3], strides[3], out[0], offsets[4], strides[4],
                        out[packed ? 0 : 1], offsets[5], strides[5], out[packed ? 0 : 2], offsets[6], strides[6]);
                return out;
            }
            float[][] in = new float[4][];
            for (int i = 0; i < 4; i++) in[i] = packed && i > 0 && i < 3 ? in[0] : f32(inputs[i]);
            float[][] out = new float[gradients][];
            for (int g = 0; g < gradients; g++) out[g] = f32(out0[g]);
            ArrayKernels.attentionBackward(backend, batch, heads, seqQ, seqK, d, (float) scale, in[0], offsets[0], strides[0],
                    in[1], offsets[1], strides[1], in[2], offsets[2], strides[2], f32(maskF), maskOff, dropout,
                    in[3], offsets[3], strides[3], out[0], offsets[4], strides[4],
                    out[packed ? 0 : 1], offsets[5], strides[5], out[packed ? 0 : 2], offsets[6], strides[6]);
            double[][] wide = new double[gradients][];
            for (int g = 0; g < gradients; g++) wide[g] = f64(out[g]);
            return wide;
        }, tolerance);
    }

    /**
     * A third of the attention cases drop probabilities: p of 0.1 (BERT's), 0.5 or (rarely) 1, at a random seed and
     * counter position; both backends draw the mask from the same positions (the reference through
     * {@link Backend#dropoutMask}, the CPU kernel lane by lane).
     */
    private static AttentionDropout randomDropout(Random random) {
        if (random.nextInt(3) != 0) return null;
        double p = switch (random.nextInt(5)) {
            case 0, 1 -> 0.1;
            case 2, 3 -> 0.5;
            default -> 1.0;
        };
        return new AttentionDropout(random.nextLong(), random.nextInt(100_000), p);
    }

    @Property(tries = 100)
    @Covers({"gatherRows"})
    void gatherRowsMatchesReference(@ForAll boolean f64, @ForAll long seed) {
        Random random = new Random(seed);
        int tableRows = 1 + random.nextInt(20), dim = 1 + random.nextInt(40), count = random.nextInt(30);
        int outOff = random.nextInt(3);
        double[] table = RandomLayouts.values(random, tableRows * dim, 3);
        int[] ids = new int[count + random.nextInt(2)];
        for (int i = 0; i < ids.length; i++) ids[i] = random.nextInt(tableRows);
        check("gatherRows " + count + " of " + tableRows + "x" + dim, backend -> {
            if (f64) {
                double[] out = new double[outOff + count * dim];
                ArrayKernels.gatherRows(backend, table, dim, ids, count, out, outOff);
                return new double[][]{out};
            }
            float[] out = new float[outOff + count * dim];
            ArrayKernels.gatherRows(backend, f32(table), dim, ids, count, out, outOff);
            return new double[][]{f64(out)};
        }, Tolerance.exact());
    }

    /** Repeated ids are the point: each table row must receive its adds in the order of i, like the reference. */
    @Property(tries = 100)
    @Covers({"scatterAddRows"})
    void scatterAddRowsMatchesReferenceExactly(@ForAll boolean f64, @ForAll long seed) {
        Random random = new Random(seed);
        int tableRows = 1 + random.nextInt(12), dim = 1 + random.nextInt(40), count = random.nextInt(40);
        int srcOff = random.nextInt(3);
        double[] table0 = RandomLayouts.values(random, tableRows * dim, 1);
        double[] src = RandomLayouts.values(random, srcOff + count * dim, 1);
        int[] ids = new int[count];
        for (int i = 0; i < count; i++) ids[i] = random.nextInt(Math.min(tableRows, 1 + random.nextInt(4)));
        check("scatterAddRows " + count + " into " + tableRows + "x" + dim, backend -> {
            if (f64) {
                double[] table = copy(table0);
                ArrayKernels.scatterAddRows(backend, src, srcOff, dim, ids, count, table);
                return new double[][]{table};
            }
            float[] table = f32(table0);
            ArrayKernels.scatterAddRows(backend, f32(src), srcOff, dim, ids, count, table);
            return new double[][]{f64(table)};
        }, Tolerance.exact());
    }
}
