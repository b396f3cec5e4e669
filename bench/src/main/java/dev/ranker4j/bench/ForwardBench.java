package dev.ranker4j.bench;

import dev.ranker4j.autograd.NoGrad;
import dev.ranker4j.tensor.ActivationArena;
import dev.ranker4j.cli.BackendOption;
import dev.ranker4j.hfio.hub.ModelLocator;
import dev.ranker4j.kernels.Backend;
import dev.ranker4j.kernels.DeviceBackend;
import dev.ranker4j.tokenizer.BatchEncoding;
import dev.ranker4j.transformer.bert.BertInput;
import dev.ranker4j.transformer.bert.BertModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

/**
 * {@code ranker4j bench forward --model DIR --batch 32 --seq 128}: our BERT forward (inference, no graph) against ONNX
 * Runtime on identical inputs in the same process. Each round runs ours once and ONNX Runtime once, alternating
 * which goes first, so both see the same machine load; after warm-up rounds the timed rounds' totals give
 * sequences per second and ratio = ours ÷ ONNX Runtime. Inputs: {@code batch} full-length rows of seeded random
 * ids ([CLS] … [SEP], no padding), the shape at which ONNX Runtime was measured in docs/PERFORMANCE.
 *
 * <p>On a {@link DeviceBackend} (TornadoVM) the model's weights are kept on the device (unless
 * {@code --no-resident-weights}) and the line also names the device and counts the host↔device copies and kernel
 * launches of the first forward (which uploads the resident weights) and of the last timed one.
 */
@Command(name = "forward", mixinStandardHelpOptions = true,
        description = "BERT forward throughput, ours vs ONNX Runtime on the same inputs; prints one JSON line.")
public final class ForwardBench implements Callable<Integer> {

    @Option(names = "--model", required = true, description = "Hugging Face BERT directory (e.g. ../shared/models/all-MiniLM-L6-v2).")
    Path model;

    @Option(names = "--onnx", description = "ONNX export of the same model (default: the bundled all-MiniLM-L6-v2 export).")
    Path onnx;

    @Option(names = "--batch", defaultValue = "32", description = "Sequences per forward (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--seq", defaultValue = "128", description = "Tokens per sequence (default ${DEFAULT-VALUE}).")
    int seq;

    @Option(names = "--warmup", defaultValue = "2", description = "Untimed rounds (default ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--rounds", defaultValue = "4", description = "Timed rounds (default ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--ort-threads", defaultValue = "2", description = "ONNX Runtime intra-op threads (default ${DEFAULT-VALUE}).")
    int ortThreads;

    @Option(names = "--skip-onnxruntime", description = "Time only our forward.")
    boolean skipOnnxRuntime;

    @Option(names = "--profile", description = "Also time one layer's ops one by one and print their shares.")
    boolean profile;

    @Option(names = "--no-resident-weights",
            description = "On a device backend, send the weights with every call instead of keeping them on the device.")
    boolean noResidentWeights;

    @Option(names = "--no-arena", description = "allocate each forward's activations from the JVM instead of an arena")
    boolean noArena;

    @Mixin
    BackendOption backendOption;

    /** Where each forward's activations live, as in SentenceEncoder (null with --no-arena). */
    private ActivationArena arena;

    private DeviceBackend.TransferCounts firstForward, lastForward;

    @Override
    public Integer call() throws Exception {
        Backend backend = backendOption.install();
        arena = noArena ? null : new ActivationArena();
        BertModel bert = BertModel.load(ModelLocator.locate(model.toString()));
        if (!noResidentWeights) bert.keepParametersOnDevice(backend);
        BatchEncoding inputs = fullLengthBatch(bert.config().vocabSize());
        BertInput input = BertInput.of(inputs);
        OnnxBertPeer peer = skipOnnxRuntime ? null
                : new OnnxBertPeer(onnx != null ? java.nio.file.Files.readAllBytes(onnx) : OnnxBertPeer.bundledMiniLm(), ortThreads, inputs);
        try {
            long ours = 0, theirs = 0, oursCpu = 0, theirsCpu = 0;
            for (int round = 0; round < warmup + rounds; round++) {
                boolean oursFirst = round % 2 == 0;
                long a = 0, b = 0, aCpu = 0, bCpu = 0;
                long cpu0 = processCpuNanos();
                if (oursFirst) {
                    a = timeOurs(bert, input, backend, round == 0);
                    aCpu = processCpuNanos() - cpu0;
                }
                long cpu1 = processCpuNanos();
                if (peer != null) b = timeTheirs(peer);
                bCpu = processCpuNanos() - cpu1;
                if (!oursFirst) {
                    long cpu2 = processCpuNanos();
                    a = timeOurs(bert, input, backend, round == 0);
                    aCpu = processCpuNanos() - cpu2;
                }
                if (round >= warmup) {
                    ours += a;
                    theirs += b;
                    oursCpu += aCpu;
                    theirsCpu += bCpu;
                }
            }
            double oursPerS = (double) batch * rounds / (ours / 1e9);
            double theirsPerS = peer == null ? Double.NaN : (double) batch * rounds / (theirs / 1e9);
            // cpu_ratio: process CPU time (all threads; ONNX Runtime runs in this process) per forward, theirs ÷
            // ours: on a loaded machine the steadier comparison of the work each does; ratio is the wall clock one.
            double cpuRatio = peer == null ? Double.NaN : (double) theirsCpu / oursCpu;
            System.out.printf(Locale.ROOT, "{\"model\":\"%s\",\"batch\":%d,\"seq\":%d,\"ours_seq_per_s\":%.2f,"
                            + "\"onnxruntime_seq_per_s\":%s,\"ratio\":%s,\"ours_cpu_s_per_forward\":%.3f,\"cpu_ratio\":%s,"
                            + "\"arena\":%b,\"backend\":\"%s\",\"threads\":%d,\"rounds\":%d,\"load_average\":%.2f,%s%s}%n",
                    model.getFileName(), batch, seq, oursPerS, json(theirsPerS), json(oursPerS / theirsPerS),
                    oursCpu / 1e9 / rounds, json(cpuRatio), arena != null, backend.name(), backend.threads(), rounds,
                    TrainStepBench.loadAverage(), dev.ranker4j.kernels.cpu.VectorShape.json(), deviceMembers(backend));
        } finally {
            if (peer != null) peer.close();
        }
        if (profile) System.out.println(ForwardProfile.profile(bert.config(), batch, seq, rounds));
        return 0;
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** Times one forward; on a device backend also records its transfers (the first one, and the latest). */
    private long timeOurs(BertModel bert, BertInput input, Backend backend, boolean first) {
        DeviceBackend device = backend instanceof DeviceBackend d ? d : null;
        DeviceBackend.TransferCounts before = device == null ? null : device.transfers();
        long start = System.nanoTime();
        if (arena == null) {
            try (NoGrad ignored = NoGrad.enter()) {
                bert.forward(input);
            }
        } else { // as SentenceEncoder and the API run a batch: its activations from an arena
            try (NoGrad ignored = NoGrad.enter(); ActivationArena.Step step = arena.begin()) {
                bert.forward(input);
            }
        }
        long elapsed = System.nanoTime() - start;
        if (device != null) {
            lastForward = device.transfers().minus(before);
            if (first) firstForward = lastForward;
        }
        return elapsed;
    }

    /** The device and transfer members of the JSON line on a device backend, else nothing. */
    private String deviceMembers(Backend backend) {
        if (!(backend instanceof DeviceBackend device)) return "";
        return ",\"device\":\"" + device.device().replace("\\", "\\\\").replace("\"", "\\\"") + "\",\"resident_weights\":"
                + !noResidentWeights + ",\"first_forward\":{" + firstForward.jsonMembers() + "},\"forward\":{"
                + lastForward.jsonMembers() + "}";
    }

    private static long timeTheirs(OnnxBertPeer peer) throws Exception {
        long start = System.nanoTime();
        peer.run();
        return System.nanoTime() - start;
    }

    private BatchEncoding fullLengthBatch(int vocab) {
        SplittableRandom random = new SplittableRandom(42);
        int[] ids = new int[batch * seq], mask = new int[batch * seq], types = new int[batch * seq];
        Arrays.fill(mask, 1);
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < seq; t++) ids[b * seq + t] = t == 0 ? 101 : t == seq - 1 ? 102 : random.nextInt(1000, vocab);
        }
        return new BatchEncoding(batch, seq, ids, mask, types);
    }

    private static String json(double value) {
        return Double.isNaN(value) ? "null" : String.format(Locale.ROOT, "%.3f", value);
    }
}
