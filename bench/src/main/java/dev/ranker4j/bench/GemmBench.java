package dev.ranker4j.bench;

import dev.ranker4j.kernels.ArrayRef;
import dev.ranker4j.kernels.Backend;
import dev.ranker4j.kernels.GemmShape;
import dev.ranker4j.kernels.Matrix;
import dev.ranker4j.kernels.ReferenceBackend;
import dev.ranker4j.kernels.cpu.CpuBackend;
import dev.ranker4j.kernels.cpu.VectorShape;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ranker4j bench gemm}: GFLOP/s of the CPU backend's GEMM ({@code CpuGemm}) on the BERT shapes, one JSON line per shape.
 *
 * <p>Method: each shape is warmed up (at least 3 calls and a quarter of the time budget, so the JIT has compiled the
 * micro-kernel), then timed call by call for the rest of the budget (at least 5 calls). {@code gflops} is the
 * median call, {@code gflops_best} the fastest: on a shared machine the median says what a user sees, the best
 * what the code can do. FLOPs are counted as 2·m·n·k per product.
 *
 * <p>Every line names the vector shape it ran with ({@link VectorShape#json}: bits, lanes, the register count the
 * tiles assume, ISA flags, the GEMM and attention tiles) and carries the FMA peak of that shape measured at the start
 * of the run with the same thread count ({@link FmaPeak}), and {@code peak_fraction} = median GFLOP/s ÷ that peak.
 * With one thread, {@code cpu_gflops} is the median call's FLOPs over the calling thread's CPU time (which the
 * kernel then runs on alone): on a shared machine it excludes the time the thread waited for a core.
 */
@Command(name = "gemm", mixinStandardHelpOptions = true,
        description = "GFLOP/s of the CPU GEMM on the BERT shapes (median and best of timed calls), one JSON line each.")
public final class GemmBench implements Runnable {

    /** (m, k, n) of the four GEMMs of a BERT layer, 32 sequences × 128 tokens, hidden 384 and 768. */
    static final int[][] SHAPES = {
        {4096, 384, 384}, {4096, 384, 1536}, {4096, 1536, 384}, {4096, 768, 768}, {4096, 768, 3072}};
    /** Attention scores: 32 sequences × 12 heads of (128 × 32) · (32 × 128). */
    static final int[] ATTENTION = {384, 128, 32, 128};

    @Option(names = "--threads", description = "worker threads (default: available processors)")
    int threads = Runtime.getRuntime().availableProcessors();

    /** Element type of the operands. */
    enum Dtype { f32, f64 }

    @Option(names = "--dtype", description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    Dtype dtype = Dtype.f32;

    @Option(names = "--seconds", description = "time budget per shape, warm-up included (default: ${DEFAULT-VALUE})")
    double seconds = 2.0;

    @Option(names = "--trans-b", description = "multiply by Bᵀ stored [n, k] (a Linear layer's weight layout)")
    boolean transB;

    @Option(names = "--trans-a", description = "multiply Aᵀ stored [k, m] (a weight gradient's Gᵀ · X)")
    boolean transA;

    @Option(names = "--no-peer", description = "skip the ONNX Runtime MatMul peer")
    boolean noPeer;

    @Option(names = "--shape", description = "only these shapes, MxKxN or BATCH@MxKxN (repeatable; default: the BERT "
            + "shapes and the attention batch)")
    java.util.List<String> only;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        if (threads < 1) throw new CommandLine.ParameterException(spec.commandLine(), "--threads must be >= 1");
        if (!(seconds > 0)) throw new CommandLine.ParameterException(spec.commandLine(), "--seconds must be > 0");
        peak = FmaPeak.measure(threads, 600);
        try (CpuBackend gemm = new CpuBackend(threads)) {
            if (only != null) {
                for (String shape : only) {
                    String[] parts = shape.split("@");
                    int batch = parts.length == 2 ? Integer.parseInt(parts[0]) : 1;
                    String[] mkn = parts[parts.length - 1].split("x");
                    if (mkn.length != 3) {
                        throw new CommandLine.ParameterException(spec.commandLine(), "--shape: MxKxN or BATCH@MxKxN, got " + shape);
                    }
                    int m = Integer.parseInt(mkn[0]), k = Integer.parseInt(mkn[1]), n = Integer.parseInt(mkn[2]);
                    String head = String.format(Locale.ROOT, batch == 1 ? "{\"op\":\"gemm\",\"m\":%2$d,\"k\":%3$d,\"n\":%4$d"
                            : "{\"op\":\"batched_gemm\",\"batch\":%d,\"m\":%d,\"k\":%d,\"n\":%d", batch, m, k, n);
                    System.out.println(head + measure(gemm, batch, m, n, k));
                }
                return;
            }
            for (int[] shape : SHAPES) {
                int m = shape[0], k = shape[1], n = shape[2];
                String head = String.format(Locale.ROOT, "{\"op\":\"gemm\",\"m\":%d,\"k\":%d,\"n\":%d", m, k, n);
                System.out.println(head + measure(gemm, 1, m, n, k));
            }
            int batch = ATTENTION[0], m = ATTENTION[1], k = ATTENTION[2], n = ATTENTION[3];
            String head = String.format(Locale.ROOT, "{\"op\":\"batched_gemm\",\"batch\":%d,\"m\":%d,\"k\":%d,\"n\":%d",
                    batch, m, k, n);
            System.out.println(head + measure(gemm, batch, m, n, k));
        }
    }

    private static final Backend F64 = new ReferenceBackend();
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** The FMA peak measured at the start of the run (this thread count). */
    private FmaPeak.Peak peak;

    /** Times ours, then the peer on the same operands; returns the rest of the JSON line. */
    private String measure(Backend gemm, int batch, int m, int n, int k) {
        double flops = 2.0 * batch * m * n * k;
        int ldb = transB ? k : n;
        Random random = new Random(42);
        Runnable ours;
        OnnxMatMulPeer peer = null;
        // ONNX MatMul has no transpose flag; the peer runs only for A · B. A single product is given as 2-D.
        long[] aShape = batch == 1 ? new long[] {m, k} : new long[] {batch, m, k};
        long[] bShape = batch == 1 ? new long[] {k, n} : new long[] {batch, k, n};
        try {
            if (dtype == Dtype.f64) {
                double[] a = randomDoubles(random, batch * m * k), b = randomDoubles(random, batch * k * n);
                double[] c = new double[batch * m * n];
                // F64 runs on the reference loops (the precision policy): this measures those.
                ours = () -> F64.gemm(new GemmShape(batch, transA, transB, m, n, k), 1,
                        new Matrix(ArrayRef.of(a), transA ? m : k, m * k), new Matrix(ArrayRef.of(b), ldb, k * n), 0,
                        new Matrix(ArrayRef.of(c), n, m * n));
                if (!noPeer && !transB && !transA) peer = new OnnxMatMulPeer(threads, aShape, a, bShape, b);
            } else {
                float[] a = randomFloats(random, batch * m * k), b = randomFloats(random, batch * k * n);
                float[] c = new float[batch * m * n];
                ours = () -> gemm.gemm(new GemmShape(batch, transA, transB, m, n, k), 1,
                        new Matrix(ArrayRef.of(a), transA ? m : k, m * k), new Matrix(ArrayRef.of(b), ldb, k * n), 0,
                        new Matrix(ArrayRef.of(c), n, m * n));
                if (!noPeer && !transB && !transA) peer = new OnnxMatMulPeer(threads, aShape, a, bShape, b);
            }
            Timing mine = time(ours, flops);
            String line = String.format(Locale.ROOT, ",\"threads\":%d,\"dtype\":\"%s\",\"trans_a\":%b,\"trans_b\":%b,%s,"
                            + "\"peak_fraction\":%.3f,%s,\"load_average\":%.2f,%s",
                    threads, dtype, transA, transB, mine.json(threads == 1), flops / mine.medianNanos() / peak.gflops(),
                    peak.json(), TrainStepBench.loadAverage(), VectorShape.json());
            if (peer == null) return line + "}";
            Timing theirs = time(peer::run, flops);
            // With one thread ONNX Runtime computes on the calling thread too, so both CPU times are comparable.
            String cpu = threads != 1 ? "" : String.format(Locale.ROOT, ",\"peer_cpu_gflops\":%.1f,\"cpu_ratio\":%.2f",
                    flops / theirs.medianCpuNanos(), (double) theirs.medianCpuNanos() / mine.medianCpuNanos());
            return line + String.format(Locale.ROOT,
                    ",\"peer\":\"onnxruntime MatMul\",\"peer_gflops\":%.1f,\"peer_gflops_best\":%.1f,\"ratio\":%.2f%s}",
                    flops / theirs.medianNanos(), flops / theirs.bestNanos(),
                    (double) theirs.medianNanos() / mine.medianNanos(), cpu);
        } catch (ai.onnxruntime.OrtException e) {
            throw new IllegalStateException("ONNX Runtime peer failed: " + e.getMessage(), e);
        } finally {
            if (peer != null) {
                try {
                    peer.close();
                } catch (ai.onnxruntime.OrtException e) {
                    System.err.println("warning: closing the ONNX Runtime peer failed: " + e.getMessage());
                }
            }
        }
    }

    private Timing time(Runnable call, double flops) {
        long budget = (long) (seconds * 1e9);
        long start = System.nanoTime();
        for (int calls = 0; calls < 3 || System.nanoTime() - start < budget / 4; calls++) call.run();
        long[] times = new long[1024], cpuTimes = new long[1024];
        int runs = 0;
        long timedStart = System.nanoTime();
        while (runs < 5 || (System.nanoTime() - timedStart < budget * 3 / 4 && runs < times.length)) {
            long cpu0 = THREADS.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            call.run();
            times[runs] = System.nanoTime() - t0;
            cpuTimes[runs++] = THREADS.getCurrentThreadCpuTime() - cpu0;
        }
        long[] sorted = Arrays.copyOf(times, runs), sortedCpu = Arrays.copyOf(cpuTimes, runs);
        Arrays.sort(sorted);
        Arrays.sort(sortedCpu);
        return new Timing(flops, sorted[runs / 2], sorted[0], sortedCpu[runs / 2], runs);
    }

    /** Median and best of {@code runs} timed calls, and the median CPU time of the calling thread. */
    record Timing(double flops, long medianNanos, long bestNanos, long medianCpuNanos, int runs) {
        String json(boolean withCpu) {
            String cpu = withCpu ? String.format(Locale.ROOT, ",\"cpu_gflops\":%.1f", flops / medianCpuNanos) : "";
            return String.format(Locale.ROOT, "\"gflops\":%.1f,\"gflops_best\":%.1f,\"median_ms\":%.3f,\"runs\":%d%s",
                    flops / medianNanos, flops / bestNanos, medianNanos / 1e6, runs, cpu);
        }
    }

    static float[] randomFloats(Random random, int length) {
        float[] values = new float[length];
        for (int i = 0; i < length; i++) values[i] = random.nextFloat() * 2 - 1;
        return values;
    }

    static double[] randomDoubles(Random random, int length) {
        double[] values = new double[length];
        for (int i = 0; i < length; i++) values[i] = random.nextDouble() * 2 - 1;
        return values;
    }
}
