package dev.ranker4j.bench.jmh;

import static dev.ranker4j.kernels.ArrayRef.of;

import dev.ranker4j.kernels.LayerNormGrads;
import dev.ranker4j.kernels.LayerNormStats;
import dev.ranker4j.kernels.ReduceOp;
import dev.ranker4j.kernels.UnaryOp;
import dev.ranker4j.kernels.cpu.CpuBackend;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH timing of the CPU row and elementwise kernels whose arithmetic the determinism work touched (lane sums,
 * exp/tanh/log, the GELU and its fused backward): one call over a {@code rows × n} float block on a
 * single-threaded {@link CpuBackend}, µs per call.
 * The default shape is BERT-mini's attention (32 sequences × 4 heads × 128 query rows of 128 keys = 16 384 rows
 * of 128) for softmax, and its hidden states (4 096 tokens × 384) for the others: pass {@code -p shape=4096x384}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class RowKernelBenchmark {

    /** "rows x n" (JMH splits -p values at commas, so not those). */
    @Param({"16384x128", "4096x384"})
    public String shape;

    private CpuBackend cpu;
    private int rows, n;
    private float[] x, dy, out, dx, gamma, beta, mean, rstd, dGamma, dBeta, sums;

    @Setup(Level.Trial)
    public void createOperands() {
        String[] parts = shape.split("x");
        rows = Integer.parseInt(parts[0]);
        n = Integer.parseInt(parts[1]);
        cpu = new CpuBackend(1);
        Random random = new Random(42);
        x = GemmPoolState.random(random, rows * n);
        dy = GemmPoolState.random(random, rows * n);
        gamma = GemmPoolState.random(random, n);
        beta = GemmPoolState.random(random, n);
        out = new float[rows * n];
        dx = new float[rows * n];
        mean = new float[rows];
        rstd = new float[rows];
        sums = new float[rows];
        dGamma = new float[n];
        dBeta = new float[n];
        cpu.layerNormRows(of(x), of(gamma), of(beta), 1e-12f, rows, n, of(out), new LayerNormStats(of(mean), of(rstd)));
    }

    @TearDown(Level.Trial)
    public void close() {
        cpu.close();
    }

    @Benchmark
    public float[] sumRows() {
        cpu.reduceRows(ReduceOp.SUM, of(x), rows, n, of(sums));
        return sums;
    }

    @Benchmark
    public float[] softmax() {
        cpu.softmaxRows(of(x), null, 1, rows, n, false, of(out));
        return out;
    }

    @Benchmark
    public float[] softmaxBackward() {
        cpu.softmaxBackwardRows(of(x), of(dy), rows, n, false, of(dx));
        return dx;
    }

    @Benchmark
    public float[] layerNorm() {
        cpu.layerNormRows(of(x), of(gamma), of(beta), 1e-12f, rows, n, of(out), new LayerNormStats(of(mean), of(rstd)));
        return out;
    }

    @Benchmark
    public float[] layerNormBackward() {
        cpu.layerNormBackwardRows(of(x), of(gamma), new LayerNormStats(of(mean), of(rstd)), of(dy), rows, n,
                new LayerNormGrads(of(dx), of(dGamma), of(dBeta)));
        return dx;
    }

    @Benchmark
    public float[] exp() {
        cpu.unary(UnaryOp.EXP, 0, of(x), of(out), rows * n);
        return out;
    }

    @Benchmark
    public float[] tanh() {
        cpu.unary(UnaryOp.TANH, 0, of(x), of(out), rows * n);
        return out;
    }

    @Benchmark
    public float[] geluErf() {
        cpu.unary(UnaryOp.GELU_ERF, 0, of(x), of(out), rows * n);
        return out;
    }

    @Benchmark
    public float[] geluErfDerivative() {
        cpu.unary(UnaryOp.GELU_ERF_DERIVATIVE, 0, of(x), of(out), rows * n);
        return out;
    }

    /** GELU's backward as autograd runs it: dx = dy · GELU′(x) in one pass. */
    @Benchmark
    public float[] geluErfBackward() {
        cpu.unaryBackward(UnaryOp.GELU_ERF, 0, of(x), of(dy), of(dx), rows * n);
        return dx;
    }
}
