package dev.ranker4j.bench.jmh;

import dev.ranker4j.kernels.ArrayRef;
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
 * JMH timing of the attention-score batch: 384 products (32 sequences × 12 heads) of Q (128 × 32) · Kᵀ (32 × 128),
 * with K stored [128, 32] per head as attention has it (transB). 0.40 GFLOP per call.
 */
@State(Scope.Benchmark)
public class BatchedGemmBenchmark extends GemmPoolState {

    private static final int BATCH = 384, TOKENS = 128, HEAD_DIM = 32;

    private float[] queries, keys, scores;

    @Setup(Level.Trial)
    public void createOperands() {
        Random random = new Random(42);
        queries = random(random, BATCH * TOKENS * HEAD_DIM);
        keys = random(random, BATCH * TOKENS * HEAD_DIM);
        scores = new float[BATCH * TOKENS * TOKENS];
    }

    @Benchmark
    public float[] attentionScores() {
        int perHead = TOKENS * HEAD_DIM;
        backend.gemm(new GemmShape(BATCH, false, true, TOKENS, TOKENS, HEAD_DIM), 1,
                new Matrix(ArrayRef.of(queries), HEAD_DIM, perHead), new Matrix(ArrayRef.of(keys), HEAD_DIM, perHead), 0,
                new Matrix(ArrayRef.of(scores), TOKENS, TOKENS * TOKENS));
        return scores;
    }
}
