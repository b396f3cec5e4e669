package dev.ranker4j.bench.jmh;

import dev.ranker4j.kernels.cpu.CpuGemm;
import dev.ranker4j.kernels.cpu.Parallel;
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
 * JMH timing of the attention-score batch: 384 products (32 sequences × 12 heads) of Q (128 × 32) · Kᵀ (32 × 128),
 * with K stored [128, 32] per head as attention has it (transB). 0.40 GFLOP per call.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class BatchedGemmBenchmark {

    private static final int BATCH = 384, TOKENS = 128, HEAD_DIM = 32;

    @Param({"2"})
    public int threads;

    private Parallel parallel;
    private CpuGemm gemm;
    private float[] queries, keys, scores;

    @Setup(Level.Trial)
    public void setUp() {
        Random random = new Random(42);
        queries = GemmBenchmark.random(random, BATCH * TOKENS * HEAD_DIM);
        keys = GemmBenchmark.random(random, BATCH * TOKENS * HEAD_DIM);
        scores = new float[BATCH * TOKENS * TOKENS];
        parallel = new Parallel(threads);
        gemm = new CpuGemm(parallel);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        parallel.close();
    }

    @Benchmark
    public float[] attentionScores() {
        int perHead = TOKENS * HEAD_DIM;
        gemm.batchedGemm(BATCH, false, true, TOKENS, TOKENS, HEAD_DIM, 1f, queries, 0, perHead, HEAD_DIM,
                keys, 0, perHead, HEAD_DIM, 0f, scores, 0, TOKENS * TOKENS, TOKENS);
        return scores;
    }
}
