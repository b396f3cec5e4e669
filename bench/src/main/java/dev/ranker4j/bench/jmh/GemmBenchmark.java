package dev.ranker4j.bench.jmh;

import dev.ranker4j.kernels.GemmShape;
import dev.ranker4j.kernels.Matrix;

import java.util.Random;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * JMH timing of {@code CpuGemm} on the BERT shapes (float, C = A · B): average time per product. GFLOP/s =
 * 2·m·n·k / time; {@code ranker4j bench gemm} prints that directly. The attention shape is in
 * {@link BatchedGemmBenchmark}. Run as described in docs/BENCHMARKS.md.
 */
@State(Scope.Benchmark)
public class GemmBenchmark extends GemmPoolState {

    /** "m x k x n" of a single product (JMH splits -p values at commas, so not those). */
    @Param({"4096x384x384", "4096x384x1536", "4096x1536x384", "4096x768x768", "4096x768x3072"})
    public String shape;

    private int m, k, n;
    private float[] a, b, c;

    @Setup(Level.Trial)
    public void createOperands() {
        String[] parts = shape.split("x");
        m = Integer.parseInt(parts[0]);
        k = Integer.parseInt(parts[1]);
        n = Integer.parseInt(parts[2]);
        Random random = new Random(42);
        a = random(random, m * k);
        b = random(random, k * n);
        c = new float[m * n];
    }

    @Benchmark
    public float[] multiply() {
        backend.gemm(GemmShape.of(false, false, m, n, k), 1, Matrix.of(a, 0, k), Matrix.of(b, 0, n), 0, Matrix.of(c, 0, n));
        return c;
    }
}
