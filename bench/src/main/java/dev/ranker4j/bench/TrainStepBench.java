package dev.ranker4j.bench;

import dev.ranker4j.hfio.hub.ModelLocator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ranker4j.autograd.Variable;
import dev.ranker4j.cli.BackendOption;
import dev.ranker4j.kernels.Backend;
import dev.ranker4j.kernels.Backends;
import dev.ranker4j.kernels.cpu.VectorShape;
import dev.ranker4j.tensor.ActivationArena;
import dev.ranker4j.tensor.DType;
import dev.ranker4j.tensor.SeededRandom;
import dev.ranker4j.tensor.Tensor;
import dev.ranker4j.training.loss.LocalizedContrastiveLoss;
import dev.ranker4j.training.optim.AdamW;
import dev.ranker4j.transformer.bert.BertInput;
import dev.ranker4j.transformer.ranking.CrossEncoder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code ranker4j bench train-step}: seconds per cross-encoder LCE training step (queries × group pairs of a fixed
 * length: forward, LCE, backward, AdamW lr 2e-5 / weight decay 0.01 without decay on biases and layer norms), then
 * the same step in PyTorch (bench/peers/pytorch_lce_train_step.py, Debian's python3-torch), ending with one line
 * {@code {"ours_s_per_step":..,"pytorch_s_per_step":..,"ratio":..,"peak_heap_mb":..}} where ratio = PyTorch ÷ ours. The peer
 * runs before and after ours and its figure is the mean of the two (the machine's speed drifts on shared hosts).
 *
 * <p>The computation matches the peer's: the encoder from {@code --model}, a freshly initialised pooler and
 * classifier, random ids ≥ 1000 with [CLS] = 101 first, token type 1 from a quarter of the sequence on, no padding,
 * and by default the model's own dropout in training mode, as a real training step runs it (the config's
 * {@code hidden_dropout_prob} after the embeddings, the attention output and the FFN, and before the classifier;
 * {@code attention_probs_dropout_prob} on the attention probabilities), the peer likewise. {@code --no-dropout}
 * measures the step without dropout (evaluation mode for dropout, gradients still computed), for both.
 *
 * <p>Memory: {@code alloc_mb_per_step} is the bytes all threads allocated during the timed steps
 * ({@code ThreadMXBean.getTotalThreadAllocatedBytes}) per step, {@code peak_heap_mb} the heap pools' peak usage over
 * the timed steps (garbage included), {@code gc_count}/{@code gc_ms} the collections during them. Every line
 * names the vector shape ({@link VectorShape#json}).
 */
@Command(name = "train-step", mixinStandardHelpOptions = true,
        description = "Seconds per cross-encoder LCE training step (the PyTorch peer, ours, the peer again); JSON lines.")
public final class TrainStepBench implements Callable<Integer> {
    private static final String PEER = "bench/peers/pytorch_lce_train_step.py";
    private static final String PYTHON = "/usr/bin/python3";

    @Option(names = "--model", required = true, description = "HF BERT directory (e.g. ../shared/models/all-MiniLM-L6-v2)")
    Path model;
    @Option(names = "--queries", description = "queries per step (default: ${DEFAULT-VALUE})")
    int queries = 4;
    @Option(names = "--group", description = "passages per query (default: ${DEFAULT-VALUE})")
    int group = 8;
    @Option(names = "--seq", description = "tokens per pair (default: ${DEFAULT-VALUE})")
    int seq = 128;
    @Option(names = "--steps", description = "timed steps (default: ${DEFAULT-VALUE})")
    int steps = 3;
    @Option(names = "--warmup", description = "untimed steps first, for both (default: ${DEFAULT-VALUE}; the JIT "
            + "compiles our kernels during the first two or three)")
    int warmup = 3;
    @Option(names = "--threads", description = "threads for both (default: ${DEFAULT-VALUE})")
    int threads = 2;
    @Option(names = "--seed", description = "seed (default: ${DEFAULT-VALUE})")
    long seed = 42;
    @Option(names = "--no-peer", description = "skip the PyTorch peer")
    boolean noPeer;
    @Option(names = "--profile", description = "after the timed steps, run them again timing every kernel call; "
            + "prints one JSON line per kernel (slowest first)")
    boolean profile;
    @Option(names = "--no-dropout", description = "dropout off for both (the model's config otherwise, in training mode)")
    boolean noDropout;
    @Option(names = "--no-arena", description = "allocate every step's tensors from the JVM, as before the activation arena")
    boolean noArena;

    /** Where each step's tensors live, as in the Trainer (null with --no-arena). */
    private ActivationArena arena;

    @Mixin
    BackendOption backendOption;

    @Override
    public Integer call() throws Exception {
        System.setProperty("ranker4j.threads", Integer.toString(threads));
        backendOption.install(); // after the thread count: the CPU backend reads it when created
        Path modelDirectory = ModelLocator.locate(model.toString()); // once: ours and the peer read the same files
        double[] peerBefore = noPeer ? null : runPeer(modelDirectory);
        arena = noArena ? null : new ActivationArena();
        CrossEncoder encoder = CrossEncoder.load(modelDirectory, DType.F32, seed, 0, CrossEncoder.Head.NEW_IF_ENCODER_ONLY);
        if (noDropout) encoder.eval(); // dropout off, as in the peer; gradients are still computed
        else encoder.train();
        AdamW adamw = new AdamW(encoder.namedParameters(), 2e-5, 0.01);
        BertInput batch = batch(encoder.config().vocabSize());
        LocalizedContrastiveLoss lce = new LocalizedContrastiveLoss(group);

        long warmupStart = System.nanoTime();
        for (int i = 0; i < warmup; i++) step(encoder, adamw, lce, batch);
        double warmupSeconds = (System.nanoTime() - warmupStart) / 1e9 / Math.max(warmup, 1);
        resetPeaks();
        long allocatedBefore = allocatedBytes(), gcCountBefore = gcCount(), gcMillisBefore = gcMillis();
        long cpuBefore = processCpuNanos();
        long start = System.nanoTime();
        double loss = 0;
        long[] allocatedPerStep = new long[steps];
        for (int i = 0; i < steps; i++) {
            long before = allocatedBytes();
            loss = step(encoder, adamw, lce, batch);
            allocatedPerStep[i] = allocatedBytes() - before;
        }
        double ours = (System.nanoTime() - start) / 1e9 / steps;
        double oursCpu = (processCpuNanos() - cpuBefore) / 1e9 / steps;
        double allocMb = (allocatedBytes() - allocatedBefore) / 1048576.0 / steps;
        long gcCount = gcCount() - gcCountBefore, gcMs = gcMillis() - gcMillisBefore;
        double peakMb = peakHeapBytes() / 1048576.0;
        String head = String.format(Locale.ROOT, "{\"ours_s_per_step\":%.3f,\"ours_cpu_s_per_step\":%.3f,\"peak_heap_mb\":%.0f",
                ours, oursCpu, peakMb);
        // The warm-up steps include the JIT compiling the kernels (C2 threads share the cores meanwhile).
        System.out.println(head + String.format(Locale.ROOT, ",\"alloc_mb_per_step\":%.1f,\"gc_count\":%d,\"gc_ms\":%d,"
                        + "\"alloc_mb_each_step\":%s,\"arena\":%b,\"arena_pooled_mb\":%.0f,\"dropout\":%b,\"warmup_s_per_step\":%.3f,\"warmup\":%d,\"steps\":%d,"
                        + "\"threads\":%d,\"backend\":\"%s\",\"last_loss\":%.6f,\"load_average\":%.2f,%s}",
                allocMb, gcCount, gcMs, megabytes(allocatedPerStep), arena != null, arena == null ? 0 : arena.lastStep().pooledBytes() / 1048576.0,
                !noDropout, warmupSeconds, warmup, steps, threads, Backends.current().name(), loss,
                loadAverage(), VectorShape.json()));
        if (profile) profile(encoder, adamw, lce, batch);
        if (noPeer) return 0;

        // Peer, ours, peer: on shared hosts the machine's speed drifts by tens of percent over minutes, so the peer
        // runs on both sides of our measurement and the ratio uses the mean of its two runs.
        double[] before = peerBefore, after = runPeer(modelDirectory);
        if (before == null || after == null) return 1;
        double theirs = (before[0] + after[0]) / 2, theirsCpu = (before[1] + after[1]) / 2;
        // ratio: wall clock, the acceptance figure on a quiet machine. cpu_ratio: process CPU time per step, both
        // sides all threads; on a loaded machine it is the steadier comparison of the work each does per step.
        System.out.println(String.format(Locale.ROOT, "{\"ours_s_per_step\":%.3f,\"pytorch_s_per_step\":%.3f,\"ratio\":%.2f,"
                        + "\"pytorch_runs_s_per_step\":[%.3f,%.3f],\"ours_cpu_s_per_step\":%.3f,\"pytorch_cpu_s_per_step\":%.3f,"
                        + "\"cpu_ratio\":%.2f,\"peak_heap_mb\":%.0f,\"alloc_mb_per_step\":%.1f,"
                        + "\"dropout\":%b,\"threads\":%d,\"load_average\":%.2f,%s}",
                ours, theirs, theirs / ours, before[0], after[0], oursCpu, theirsCpu, theirsCpu / oursCpu, peakMb, allocMb,
                !noDropout, threads, loadAverage(), VectorShape.json()));
        return 0;
    }

    private double step(CrossEncoder encoder, AdamW adamw, LocalizedContrastiveLoss lce, BertInput batch) {
        if (arena == null) return stepTensors(encoder, adamw, lce, batch);
        try (ActivationArena.Step ignored = arena.begin()) { // as the Trainer runs a step
            return stepTensors(encoder, adamw, lce, batch);
        }
    }

    private static double stepTensors(CrossEncoder encoder, AdamW adamw, LocalizedContrastiveLoss lce, BertInput batch) {
        adamw.zeroGrad();
        Variable loss = lce.compute(encoder.score(batch));
        loss.backward();
        adamw.step();
        double value = loss.item();
        adamw.zeroGrad(); // as the Trainer does: no gradient outlives the step
        return value;
    }

    /** The same steps again with every kernel call timed (not part of the figures above: the proxy costs a little). */
    private void profile(CrossEncoder encoder, AdamW adamw, LocalizedContrastiveLoss lce, BertInput batch) {
        Backend plain = Backends.current();
        KernelProfile kernels = new KernelProfile();
        Backends.setCurrent(kernels.wrap(plain));
        try {
            step(encoder, adamw, lce, batch); // compiles the proxy's paths before recording
            kernels.record(true);
            for (int i = 0; i < steps; i++) step(encoder, adamw, lce, batch);
        } finally {
            Backends.setCurrent(plain);
        }
        kernels.report(steps, 0.005).forEach(System.out::println);
    }

    /** The peer's batch shape and token layout (values from our own generator). */
    private BertInput batch(int vocabulary) {
        int rows = queries * group;
        SeededRandom random = new SeededRandom(seed);
        long[] ids = new long[rows * seq], types = new long[rows * seq], mask = new long[rows * seq];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < seq; j++) {
                ids[r * seq + j] = j == 0 ? 101 : 1000 + random.nextInt(vocabulary - 1000);
                types[r * seq + j] = j >= seq / 4 ? 1 : 0;
                mask[r * seq + j] = 1;
            }
        }
        return new BertInput(Tensor.fromArray(ids, rows, seq), Tensor.fromArray(mask, rows, seq), Tensor.fromArray(types, rows, seq));
    }

    /**
     * Runs the PyTorch script: {seconds per step, CPU seconds per step}; null (after one line on stderr) when Python
     * or torch is missing or it fails.
     */
    private double[] runPeer(Path modelDirectory) throws IOException, InterruptedException {
        if (!Files.isExecutable(Path.of(PYTHON))) {
            System.err.println("train-step: PyTorch peer skipped: " + PYTHON + " not found (install Debian's python3-torch)");
            return null;
        }
        Path script = locatePeer();
        if (script == null) {
            System.err.println("train-step: PyTorch peer skipped: " + PEER + " not found from " + Path.of("").toAbsolutePath());
            return null;
        }
        ProcessBuilder pb = new ProcessBuilder(PYTHON, script.toString(), "--model", modelDirectory.toAbsolutePath().toString(),
                "--queries", "" + queries, "--group", "" + group, "--seq", "" + seq, "--steps", "" + steps,
                "--warmup", "" + warmup, "--threads", "" + threads, "--seed", "" + seed, "--dropout", noDropout ? "0" : "1");
        pb.redirectErrorStream(true);
        Process process = pb.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = process.waitFor();
        String last = output.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElse(null);
        if (exit != 0 || last == null) {
            String reason = output.contains("No module named 'torch'") ? "python3-torch is not installed (apt-get install python3-torch)"
                    : "the script exited with " + exit + ": " + output.lines().reduce((a, b) -> b).orElse("");
            System.err.println("train-step: PyTorch peer failed: " + reason);
            return null;
        }
        System.out.println(last);
        JsonNode json = new ObjectMapper().readTree(last);
        return new double[] {json.get("pytorch_s_per_step").asDouble(),
                json.has("pytorch_cpu_s_per_step") ? json.get("pytorch_cpu_s_per_step").asDouble() : Double.NaN};
    }

    private static Path locatePeer() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve(PEER))) return dir.resolve(PEER);
        }
        return null;
    }

    /** CPU time of this process so far (all threads: ours, the JIT, the GC), in nanoseconds. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** The one-minute load average (what else ran), or -1 where the platform has none. */
    static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static String megabytes(long[] bytes) {
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < bytes.length; i++) out.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.1f", bytes[i] / 1048576.0));
        return out.append("]").toString();
    }

    /** Bytes every thread of this JVM has allocated so far (the kernels' worker threads included). */
    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getTotalThreadAllocatedBytes();
    }

    private static long gcCount() {
        long total = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) total += Math.max(0, gc.getCollectionCount());
        return total;
    }

    private static long gcMillis() {
        long total = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) total += Math.max(0, gc.getCollectionTime());
        return total;
    }

    private static void resetPeaks() {
        System.gc();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) pool.resetPeakUsage();
    }

    private static long peakHeapBytes() {
        long total = 0;
        List<MemoryPoolMXBean> pools = ManagementFactory.getMemoryPoolMXBeans();
        for (MemoryPoolMXBean pool : pools) if (pool.getType() == MemoryType.HEAP) total += pool.getPeakUsage().getUsed();
        return total;
    }
}
