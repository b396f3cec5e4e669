package dev.ranker4j.bench;

import dev.ranker4j.kernels.cpu.VectorShape;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The float FMA peak of this JVM's vector shape, measured: {@code threads} threads each run ten independent chains of
 * {@code acc = acc · x + y} on preferred-species vectors (ten chains cover 2 FMA pipes × 4–5 cycles of latency and fit
 * 16 registers with x and y), for {@code millis} milliseconds, all at once. GFLOP/s = 2 · lanes · FMAs / time. It is
 * what "fraction of peak" in the benchmark lines is relative to, measured in the same run and under the same load as
 * the figure it divides (on a loaded machine both are low). {@code cpuGflops} counts each thread's FLOPs over its own
 * CPU time (summed over the threads): what the cores do while they run this code, without the waits for a core.
 */
final class FmaPeak {
    private FmaPeak() {}

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int CHAINS = 10;
    private static final int STEPS = 1 << 16;

    /** The peak in wall-clock time and in CPU time (GFLOP/s), with the thread count it was measured on. */
    record Peak(double gflops, double cpuGflops, int threads) {
        /** {@code "fma_peak_gflops":..,"fma_peak_cpu_gflops":..,"fma_peak_threads":..}. */
        String json() {
            return String.format(Locale.ROOT, "\"fma_peak_gflops\":%.1f,\"fma_peak_cpu_gflops\":%.1f,\"fma_peak_threads\":%d",
                    gflops, cpuGflops, threads);
        }
    }

    private static final ThreadMXBean THREAD_TIMES = ManagementFactory.getThreadMXBean();

    /** The best round of {@code threads} threads together within the budget, in wall-clock and in CPU time. */
    static Peak measure(int threads, int millis) {
        double best = 0, bestCpu = 0;
        long end = System.nanoTime() + millis * 1_000_000L;
        for (int i = 0; i < 50; i++) chains(STEPS); // compiled (C2) before timing
        for (int rounds = 0; rounds < 3 || System.nanoTime() < end; rounds++) {
            double[] round = round(threads);
            best = Math.max(best, round[0]);
            bestCpu = Math.max(bestCpu, round[1]);
        }
        return new Peak(best, bestCpu, threads);
    }

    /** {wall-clock GFLOP/s, CPU-time GFLOP/s} of one round. */
    private static double[] round(int threads) {
        AtomicLong sink = new AtomicLong();
        List<Thread> workers = new ArrayList<>();
        double flopsPerThread = 2.0 * VectorShape.LANES * CHAINS * (double) STEPS * 4;
        double[] cpuRates = new double[threads];
        long start = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            int index = t;
            Thread worker = new Thread(() -> {
                long cpu0 = THREAD_TIMES.getCurrentThreadCpuTime();
                sink.addAndGet(Float.floatToIntBits(chains(STEPS * 4)));
                cpuRates[index] = flopsPerThread / (THREAD_TIMES.getCurrentThreadCpuTime() - cpu0);
            });
            worker.start();
            workers.add(worker);
        }
        for (Thread worker : workers) {
            try {
                worker.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpu = 0;
        for (double rate : cpuRates) cpu += rate;
        return new double[] {flopsPerThread * threads / seconds / 1e9, cpu};
    }

    private static float chains(int steps) {
        FloatVector x = FloatVector.broadcast(SPECIES, 0.999999f), y = FloatVector.broadcast(SPECIES, 1e-7f);
        FloatVector a0 = FloatVector.broadcast(SPECIES, 1f), a1 = a0.add(1), a2 = a0.add(2), a3 = a0.add(3);
        FloatVector a4 = a0.add(4), a5 = a0.add(5), a6 = a0.add(6), a7 = a0.add(7), a8 = a0.add(8), a9 = a0.add(9);
        for (int i = 0; i < steps; i++) {
            a0 = a0.fma(x, y);
            a1 = a1.fma(x, y);
            a2 = a2.fma(x, y);
            a3 = a3.fma(x, y);
            a4 = a4.fma(x, y);
            a5 = a5.fma(x, y);
            a6 = a6.fma(x, y);
            a7 = a7.fma(x, y);
            a8 = a8.fma(x, y);
            a9 = a9.fma(x, y);
        }
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).lane(0);
    }
}
