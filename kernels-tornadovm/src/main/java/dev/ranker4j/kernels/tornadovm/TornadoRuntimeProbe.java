package dev.ranker4j.kernels.tornadovm;

import uk.ac.manchester.tornado.api.GridScheduler;
import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.TaskGraph;
import uk.ac.manchester.tornado.api.TornadoExecutionPlan;
import uk.ac.manchester.tornado.api.WorkerGrid1D;
import uk.ac.manchester.tornado.api.common.TornadoDevice;
import uk.ac.manchester.tornado.api.enums.DataTransferMode;
import uk.ac.manchester.tornado.api.runtime.TornadoRuntimeProvider;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;

/**
 * Checks, in order, that TornadoVM can run kernels in this JVM: an SDK is installed (TORNADOVM_HOME with its
 * argfile), this JVM was started with that argfile (TornadoVM's modules are loaded), a device answers, and a tiny
 * plan runs on it and computes the right numbers. The first failing step is reported in one line.
 */
public final class TornadoRuntimeProbe {
    private TornadoRuntimeProbe() {}

    /** The outcome: {@code device} is set when available, {@code problem} when not. */
    public record Result(boolean available, String device, String problem) {}

    private static volatile Result cached;

    /** Probes once per JVM (TornadoVM's runtime is process-wide) and remembers the answer. */
    public static Result probe() {
        Result result = cached;
        if (result == null) {
            synchronized (TornadoRuntimeProbe.class) {
                if (cached == null) cached = run();
                result = cached;
            }
        }
        return result;
    }

    private static Result run() {
        String environment = TornadoEnvironment.problem();
        if (environment != null) return unavailable(environment);
        TornadoDevice device;
        try {
            device = TornadoRuntimeProvider.getTornadoRuntime().getDefaultDevice();
        } catch (RuntimeException | Error e) {
            return unavailable("TornadoVM found no device: " + oneLine(e));
        }
        if (device == null) return unavailable("TornadoVM found no device");
        String name = device.getPhysicalDevice().getDeviceName() + " (" + device.getDescription().trim() + ")";
        try {
            FloatArray in = FloatArray.fromElements(1, 2, 3, 4);
            FloatArray out = new FloatArray(4);
            TaskGraph graph = new TaskGraph("ranker4jProbe")
                    .transferToDevice(DataTransferMode.EVERY_EXECUTION, in)
                    .task("twice", TornadoRuntimeProbe::twice, new KernelContext(), in, out)
                    .transferToHost(DataTransferMode.EVERY_EXECUTION, out);
            WorkerGrid1D grid = new WorkerGrid1D(4);
            grid.setLocalWork(4, 1, 1);
            try (TornadoExecutionPlan plan = new TornadoExecutionPlan(graph.snapshot())) {
                plan.withGridScheduler(new GridScheduler("ranker4jProbe.twice", grid)).execute();
            }
            for (int i = 0; i < 4; i++) {
                if (out.get(i) != 2 * (i + 1)) {
                    return unavailable("a test kernel on " + name + " computed " + out.get(i) + " for " + 2 * (i + 1));
                }
            }
        } catch (Exception | Error e) {
            return unavailable("a test kernel failed on " + name + ": " + oneLine(e));
        }
        return new Result(true, name, null);
    }

    /** The probe's kernel: out = 2 · in. */
    public static void twice(KernelContext context, FloatArray in, FloatArray out) {
        int i = context.globalIdx;
        out.set(i, 2.0f * in.get(i));
    }

    private static Result unavailable(String problem) {
        return new Result(false, null, "TornadoVM backend unavailable: " + problem);
    }

    private static String oneLine(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.lines().findFirst().orElse(message);
    }
}
