package dev.ranker4j.kernels.cpu;

import dev.ranker4j.kernels.ArrayKernels;
import dev.ranker4j.kernels.BinaryOp;
import dev.ranker4j.kernels.ReduceOp;
import dev.ranker4j.kernels.UnaryOp;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Every CpuBackend kernel family on fixed random data (row length 203 = 12·16 + 11, so vector bodies and scalar
 * tails both run), F32 and F64, each output reduced to a 64-bit fingerprint of its bits. {@link JitDeterminismTest}
 * runs it in fresh JVMs, interpreted, with C1 only and with C2 only, through {@link #main}.
 *
 * <p>Two canaries fingerprint the raw Vector API operations the kernels avoid ({@code reduceLanes(ADD)} and
 * {@code lanewise(EXP)}): they are expected to differ between the interpreter and C2, showing that the JVM under
 * test really does round differently once compiled — and that the kernels' agreement is not a lucky accident.
 */
public final class DeterminismWorkload {
    private DeterminismWorkload() {}

    static final int ROWS = 24, N = 203, GRAIN = 64;
    static final String CANARY = "canary ";
    static final String CHANGED = "CHANGED";
    private static final dev.ranker4j.kernels.AttentionDropout DROPOUT = new dev.ranker4j.kernels.AttentionDropout(11, 5, 0.3);

    /**
     * Runs the workload {@code args[0]} times (default 1) and prints the last run's fingerprints, one
     * {@code name<TAB>hex} line each, after a {@code CHANGED<TAB>name} line for every output that ever differed
     * from the first run's (the JIT compiled the kernel in between and it rounded differently).
     */
    public static void main(String[] args) {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        Map<String, Long> first = run(), last = first;
        Set<String> changed = new LinkedHashSet<>();
        for (int i = 1; i < runs; i++) {
            last = run();
            for (String name : first.keySet()) {
                if (!name.startsWith(CANARY) && !first.get(name).equals(last.get(name)) && changed.add(name)) {
                    System.out.println(CHANGED + "\t" + name + " (first in run " + i + ")");
                }
            }
        }
        for (Map.Entry<String, Long> entry : last.entrySet()) {
            System.out.println(entry.getKey() + "\t" + Long.toHexString(entry.getValue()));
        }
    }

    /** Output name → fingerprint, in a fixed order. */
    static Map<String, Long> run() {
        Map<String, Long> prints = new LinkedHashMap<>();
        try (CpuBackend cpu = new CpuBackend(2, GRAIN)) {
            floats(cpu, prints);
            doubles(cpu, prints);
        }
        canaries(prints);
        return prints;
    }

    private static void floats(CpuBackend cpu, Map<String, Long> prints) {
        Random random = new Random(7);
        float[] x = gaussian(random, ROWS * N, 3), y = gaussian(random, ROWS * N, 1), mask = new float[N * 2];
        for (int j = 0; j < mask.length; j++) mask[j] = random.nextInt(4) == 0 ? -1e9f : 0f;
        float[] out = new float[ROWS * N], rowOut = new float[ROWS], positive = new float[ROWS * N];
        for (int i = 0; i < x.length; i++) positive[i] = Math.abs(x[i]) + 1e-3f;
        for (ReduceOp op : ReduceOp.values()) {
            ArrayKernels.reduceRows(cpu, op, x, 0, ROWS, N, rowOut, 0);
            prints.put("f32 reduce " + op, print(rowOut));
        }
        float[] signedZeros = x.clone(); // MAX/MIN over ±0 and NaN: order-independent only if done right
        for (int i = 0; i < signedZeros.length; i += 3) signedZeros[i] = i % 2 == 0 ? 0f : -0f;
        signedZeros[5 * N + 17] = Float.NaN;
        for (ReduceOp op : new ReduceOp[]{ReduceOp.MAX, ReduceOp.MIN}) {
            ArrayKernels.reduceRows(cpu, op, signedZeros, 0, ROWS, N, rowOut, 0);
            prints.put("f32 reduce zeros " + op, print(rowOut));
        }
        for (boolean log : new boolean[]{false, true}) {
            ArrayKernels.softmaxRows(cpu, x, 0, log ? null : mask, 0, ROWS / 2, ROWS, N, log, out, 0);
            prints.put("f32 softmax log=" + log, print(out));
            float[] dx = new float[ROWS * N];
            ArrayKernels.softmaxBackwardRows(cpu, out, 0, y, 0, ROWS, N, log, dx, 0);
            prints.put("f32 softmax backward log=" + log, print(dx));
        }
        float[] gamma = gaussian(random, N, 1), beta = gaussian(random, N, 1), mean = new float[ROWS], rstd = new float[ROWS];
        ArrayKernels.layerNormRows(cpu, x, 0, gamma, beta, 1e-5f, ROWS, N, out, 0, mean, rstd);
        prints.put("f32 layer norm", print(out) ^ print(mean) * 31 ^ print(rstd) * 961);
        float[] dx = new float[ROWS * N], dGamma = new float[N], dBeta = new float[N];
        ArrayKernels.layerNormBackwardRows(cpu, x, 0, gamma, mean, rstd, y, 0, ROWS, N, dx, 0, dGamma, dBeta);
        prints.put("f32 layer norm backward", print(dx) ^ print(dGamma) * 31 ^ print(dBeta) * 961);
        for (UnaryOp op : UnaryOp.values()) {
            boolean needsPositive = op == UnaryOp.LOG || op == UnaryOp.SQRT || op == UnaryOp.RSQRT || op == UnaryOp.POW;
            ArrayKernels.unary(cpu, op, 1.5, needsPositive ? positive : x, 0, out, 0, out.length);
            prints.put("f32 unary " + op, print(out));
        }
        for (UnaryOp op : UnaryBackwardKernels.FUSED) {
            float[] gradient = new float[ROWS * N];
            ArrayKernels.unaryBackward(cpu, op, 0, x, 0, y, 0, gradient, 0, gradient.length);
            prints.put("f32 unary backward " + op, print(gradient));
        }
        int[] shape = {ROWS, N}, strides = {N, 1};
        for (BinaryOp op : BinaryOp.values()) {
            ArrayKernels.binary(cpu, op, shape, op == BinaryOp.POW ? positive : x, 0, strides, y, 0, strides, out, 0);
            prints.put("f32 binary " + op, print(out));
        }
        float[] product = new float[ROWS * ROWS];
        ArrayKernels.gemm(cpu, false, true, ROWS, ROWS, N, 1f, x, 0, N, y, 0, N, 0f, product, 0, ROWS);
        prints.put("f32 gemm", print(product));
        // Deeper and wider: several depth panels (k = 812 > 384), edge tiles of every register tile, beta and a
        // transposed A; the bias epilogue; a shallow batch (the unpacked tiles). These are the same bits on every ISA.
        int m = 2 * N, depthN = 4 * N;
        float[] deepA = new float[depthN * m], wide = new float[m * ROWS * 4];
        for (int i = 0; i < deepA.length; i++) deepA[i] = (float) random.nextGaussian();
        for (int i = 0; i < wide.length; i++) wide[i] = (float) random.nextGaussian();
        float[] deep = new float[m * ROWS * 4];
        System.arraycopy(wide, 0, deep, 0, deep.length);
        ArrayKernels.gemm(cpu, true, false, m, ROWS * 4, depthN, 0.75f, deepA, 0, m, deepA, 0, ROWS * 4, 0.5f, deep, 0, ROWS * 4);
        prints.put("f32 gemm deep", print(deep));
        float[] biased = new float[ROWS * N];
        ArrayKernels.gemmBias(cpu, false, false, ROWS, N, ROWS, 1.5f, x, 0, N, y, 0, N, biased, 0, N, x, 7);
        prints.put("f32 gemm bias", print(biased));
        float[] batched = new float[6 * 17 * 96];
        ArrayKernels.batchedGemm(cpu, 6, false, false, 17, 96, 32, 1f, x, 0, 17 * 32, 32, y, 0, 96, 96, 0f,
                batched, 0, 17 * 96, 96);
        prints.put("f32 gemm batched shallow", print(batched));
        // Attention on a packed qkv of 2 sequences × 12 tokens, 3 heads of d = 7 (odd sizes: every tail runs).
        int heads = 3, d = 7, width = heads * d, seq = ROWS / 2;
        float[] attended = new float[ROWS * width], qkvGradient = new float[ROWS * 3 * width];
        ArrayKernels.attention(cpu, 2, heads, seq, seq, d, 0.4f, x, 0, 3 * width, x, width, 3 * width, x, 2 * width, 3 * width,
                mask, 0, null, attended, 0, width);
        prints.put("f32 attention", print(attended));
        ArrayKernels.attention(cpu, 2, heads, seq, seq, d, 0.4f, x, 0, 3 * width, x, width, 3 * width, x, 2 * width, 3 * width,
                mask, 0, DROPOUT, attended, 0, width);
        prints.put("f32 attention dropout", print(attended));
        ArrayKernels.attentionBackward(cpu, 2, heads, seq, seq, d, 0.4f, x, 0, 3 * width, x, width, 3 * width, x, 2 * width,
                3 * width, mask, 0, null, y, 0, width, qkvGradient, 0, 3 * width, qkvGradient, width, 3 * width,
                qkvGradient, 2 * width, 3 * width);
        prints.put("f32 attention backward", print(qkvGradient));
        ArrayKernels.attentionBackward(cpu, 2, heads, seq, seq, d, 0.4f, x, 0, 3 * width, x, width, 3 * width, x, 2 * width,
                3 * width, mask, 0, DROPOUT, y, 0, width, qkvGradient, 0, 3 * width, qkvGradient, width, 3 * width,
                qkvGradient, 2 * width, 3 * width);
        prints.put("f32 attention backward dropout", print(qkvGradient));
        int[] ids = new int[ROWS];
        for (int i = 0; i < ids.length; i++) ids[i] = random.nextInt(5);
        float[] table = new float[5 * N];
        ArrayKernels.scatterAddRows(cpu, x, 0, N, ids, ROWS, table);
        prints.put("f32 scatter add", print(table));
    }

    private static void doubles(CpuBackend cpu, Map<String, Long> prints) {
        Random random = new Random(8);
        double[] x = f64(gaussian(random, ROWS * N, 3)), y = f64(gaussian(random, ROWS * N, 1)), mask = new double[N * 2];
        for (int j = 0; j < mask.length; j++) mask[j] = random.nextInt(4) == 0 ? -1e9 : 0;
        double[] out = new double[ROWS * N], rowOut = new double[ROWS], positive = new double[ROWS * N];
        for (int i = 0; i < x.length; i++) positive[i] = Math.abs(x[i]) + 1e-3;
        for (ReduceOp op : ReduceOp.values()) {
            ArrayKernels.reduceRows(cpu, op, x, 0, ROWS, N, rowOut, 0);
            prints.put("f64 reduce " + op, print(rowOut));
        }
        for (boolean log : new boolean[]{false, true}) {
            ArrayKernels.softmaxRows(cpu, x, 0, log ? null : mask, 0, ROWS / 2, ROWS, N, log, out, 0);
            prints.put("f64 softmax log=" + log, print(out));
            double[] dx = new double[ROWS * N];
            ArrayKernels.softmaxBackwardRows(cpu, out, 0, y, 0, ROWS, N, log, dx, 0);
            prints.put("f64 softmax backward log=" + log, print(dx));
        }
        double[] gamma = f64(gaussian(random, N, 1)), beta = f64(gaussian(random, N, 1));
        double[] mean = new double[ROWS], rstd = new double[ROWS];
        ArrayKernels.layerNormRows(cpu, x, 0, gamma, beta, 1e-5, ROWS, N, out, 0, mean, rstd);
        prints.put("f64 layer norm", print(out) ^ print(mean) * 31 ^ print(rstd) * 961);
        double[] dx = new double[ROWS * N], dGamma = new double[N], dBeta = new double[N];
        ArrayKernels.layerNormBackwardRows(cpu, x, 0, gamma, mean, rstd, y, 0, ROWS, N, dx, 0, dGamma, dBeta);
        prints.put("f64 layer norm backward", print(dx) ^ print(dGamma) * 31 ^ print(dBeta) * 961);
        for (UnaryOp op : UnaryOp.values()) {
            boolean needsPositive = op == UnaryOp.LOG || op == UnaryOp.SQRT || op == UnaryOp.RSQRT || op == UnaryOp.POW;
            ArrayKernels.unary(cpu, op, 1.5, needsPositive ? positive : x, 0, out, 0, out.length);
            prints.put("f64 unary " + op, print(out));
        }
        for (UnaryOp op : UnaryBackwardKernels.FUSED) {
            double[] gradient = new double[ROWS * N];
            ArrayKernels.unaryBackward(cpu, op, 0, x, 0, y, 0, gradient, 0, gradient.length);
            prints.put("f64 unary backward " + op, print(gradient));
        }
        int[] shape = {ROWS, N}, strides = {N, 1};
        ArrayKernels.binary(cpu, BinaryOp.POW, shape, positive, 0, strides, y, 0, strides, out, 0);
        prints.put("f64 binary POW", print(out));
        double[] product = new double[ROWS * ROWS];
        ArrayKernels.gemm(cpu, false, true, ROWS, ROWS, N, 1.0, x, 0, N, y, 0, N, 0.0, product, 0, ROWS);
        prints.put("f64 gemm", print(product));
    }

    /** The raw Vector API operations, for contrast (see the class comment). */
    private static void canaries(Map<String, Long> prints) {
        float[] x = gaussian(new Random(9), 1 << 12, 3);
        long sums = 0, exps = 0;
        for (int i = 0; i < x.length; i += VectorMath.F.length()) {
            FloatVector v = FloatVector.fromArray(VectorMath.F, x, i);
            sums = sums * 31 + Float.floatToIntBits(v.reduceLanes(VectorOperators.ADD));
            exps = exps * 31 + print(v.lanewise(VectorOperators.EXP).toArray());
        }
        prints.put(CANARY + "reduceLanes(ADD)", sums);
        prints.put(CANARY + "lanewise(EXP)", exps);
    }

    private static float[] gaussian(Random random, int length, double scale) {
        float[] values = new float[length];
        for (int i = 0; i < length; i++) values[i] = (float) (random.nextGaussian() * scale);
        return values;
    }

    private static double[] f64(float[] values) {
        double[] wide = new double[values.length];
        for (int i = 0; i < values.length; i++) wide[i] = values[i];
        return wide;
    }

    /** A 64-bit polynomial hash of the values' bits (NaN canonicalised: its payload carries no meaning). */
    static long print(float[] values) {
        long hash = 17;
        for (float v : values) hash = hash * 1_000_003 + Float.floatToIntBits(v);
        return hash;
    }

    static long print(double[] values) {
        long hash = 17;
        for (double v : values) hash = hash * 1_000_003 + Double.doubleToLongBits(v);
        return hash;
    }
}
