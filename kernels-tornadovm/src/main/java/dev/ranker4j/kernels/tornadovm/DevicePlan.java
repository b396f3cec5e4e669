package dev.ranker4j.kernels.tornadovm;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

import uk.ac.manchester.tornado.api.GridScheduler;
import uk.ac.manchester.tornado.api.ImmutableTaskGraph;
import uk.ac.manchester.tornado.api.TaskGraph;
import uk.ac.manchester.tornado.api.TornadoExecutionPlan;
import uk.ac.manchester.tornado.api.WorkerGrid;
import uk.ac.manchester.tornado.api.enums.DataTransferMode;
import uk.ac.manchester.tornado.api.types.arrays.TornadoNativeArray;

/**
 * One kernel as a TornadoVM execution plan that is built once and launched many times: a task graph of one task,
 * its transfers, and a worker grid whose size each launch sets.
 *
 * <p>Three kinds of buffers: <em>inputs</em> are copied to the device before every launch, <em>resident</em> inputs
 * only before the first one (weights that stay on the device), and <em>outputs</em> are copied back after every
 * launch. Shapes and scalars travel in small parameter arrays among the inputs, so that one compiled kernel serves
 * every shape (TornadoVM compiles a kernel per plan, and captures scalar task arguments as constants).
 * Every copy is counted in {@link TransferStats}.
 */
final class DevicePlan implements AutoCloseable {
    static final String TASK = "kernel";
    private static final AtomicInteger GRAPHS = new AtomicInteger();

    private final TornadoExecutionPlan plan;
    private final WorkerGrid grid;
    private final TransferStats stats;
    private final List<TornadoNativeArray> inputs;
    private final List<TornadoNativeArray> resident;
    private final List<TornadoNativeArray> outputs;
    private boolean launched;

    /**
     * @param name     the kernel's name (graph names get a serial number: TornadoVM wants them unique)
     * @param addTask  adds the one task, named {@link #TASK}, to the graph
     */
    DevicePlan(String name, WorkerGrid grid, TransferStats stats, List<TornadoNativeArray> resident,
               List<TornadoNativeArray> inputs, List<TornadoNativeArray> outputs, UnaryOperator<TaskGraph> addTask) {
        String graphName = name + GRAPHS.incrementAndGet();
        TaskGraph graph = new TaskGraph(graphName);
        if (!resident.isEmpty()) graph.transferToDevice(DataTransferMode.FIRST_EXECUTION, resident.toArray());
        graph.transferToDevice(DataTransferMode.EVERY_EXECUTION, inputs.toArray());
        graph = addTask.apply(graph);
        graph.transferToHost(DataTransferMode.EVERY_EXECUTION, outputs.toArray());
        ImmutableTaskGraph snapshot = graph.snapshot();
        this.plan = new TornadoExecutionPlan(snapshot);
        this.plan.withGridScheduler(new GridScheduler(graphName + "." + TASK, grid));
        this.grid = grid;
        this.stats = stats;
        this.resident = List.copyOf(resident);
        this.inputs = List.copyOf(inputs);
        this.outputs = List.copyOf(outputs);
    }

    /** Launches with a global size of {@code global} work items and work groups of {@code local} (per axis, x y z). */
    void launch(long gx, long gy, long gz, long lx, long ly, long lz) {
        grid.setGlobalWork(gx, gy, gz);
        grid.setLocalWork(lx, ly, lz);
        if (!launched) for (TornadoNativeArray array : resident) stats.hostToDevice(array.getNumBytesOfSegment());
        for (TornadoNativeArray array : inputs) stats.hostToDevice(array.getNumBytesOfSegment());
        plan.execute();
        for (TornadoNativeArray array : outputs) stats.deviceToHost(array.getNumBytesOfSegment());
        stats.launch();
        launched = true;
    }

    /** Rounds {@code n} up to a multiple of {@code multiple}: global sizes must be whole work groups. */
    static long roundUp(long n, long multiple) {
        return (n + multiple - 1) / multiple * multiple;
    }

    @Override
    public void close() {
        try {
            plan.freeDeviceMemory();
            plan.close();
        } catch (Exception e) {
            throw new IllegalStateException("TornadoVM could not release plan: " + e.getMessage(), e);
        }
    }
}
