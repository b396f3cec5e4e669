package dev.ranker4j.bench.jmh;

import dev.ranker4j.kernels.cpu.CpuGemm;
import dev.ranker4j.kernels.cpu.Parallel;
import java.util.Random;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/** What every GEMM benchmark state shares: a {@link CpuGemm} on its own pool of {@link #threads} threads. */
@State(Scope.Benchmark)
public abstract class GemmPoolState {

    @Param({"2"})
    public int threads;

    protected Parallel parallel;
    protected CpuGemm gemm;

    @Setup(Level.Trial)
    public void startPool() {
        parallel = new Parallel(threads);
        gemm = new CpuGemm(parallel);
    }

    @TearDown(Level.Trial)
    public void closePool() {
        parallel.close();
    }

    static float[] random(Random random, int length) {
        float[] values = new float[length];
        for (int i = 0; i < length; i++) values[i] = random.nextFloat() * 2 - 1;
        return values;
    }
}
