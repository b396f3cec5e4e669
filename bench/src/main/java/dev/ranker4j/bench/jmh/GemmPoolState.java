package dev.ranker4j.bench.jmh;

import dev.ranker4j.kernels.cpu.CpuBackend;
import java.util.Random;
import java.util.concurrent.TimeUnit;
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
 * What every GEMM benchmark shares: the CPU backend (its GEMM, {@code CpuGemm}) on its own pool of {@link #threads} threads, and the run
 * settings (JMH annotations are inherited): average time in ms, 3 × 1 s warm-up, 5 × 1 s measurement, one fork with
 * the Vector API module.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public abstract class GemmPoolState {

    @Param({"2"})
    public int threads;

    protected CpuBackend backend;

    @Setup(Level.Trial)
    public void startPool() {
        backend = new CpuBackend(threads);
    }

    @TearDown(Level.Trial)
    public void closePool() {
        backend.close();
    }

    static float[] random(Random random, int length) {
        float[] values = new float[length];
        for (int i = 0; i < length; i++) values[i] = random.nextFloat() * 2 - 1;
        return values;
    }
}
