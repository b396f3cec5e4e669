package dev.ranker4j.kernels.tornadovm;

import java.util.ArrayList;
import java.util.List;

import uk.ac.manchester.tornado.api.GridScheduler;
import uk.ac.manchester.tornado.api.ImmutableTaskGraph;
import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.TaskGraph;
import uk.ac.manchester.tornado.api.TornadoExecutionPlan;
import uk.ac.manchester.tornado.api.WorkerGrid;
import uk.ac.manchester.tornado.api.WorkerGrid1D;
import uk.ac.manchester.tornado.api.enums.DataTransferMode;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;
import uk.ac.manchester.tornado.api.types.arrays.TornadoNativeArray;

/**
 * Every kernel of the backend as ONE TornadoVM execution plan over ONE block of device memory.
 *
 * <p>Why one plan: TornadoVM keeps a device buffer per task graph and shares it between graphs only inside one
 * execution plan, through {@code persistOnDevice} / {@code consumeFromDevice} (the consuming graph takes over the
 * buffer of the graph that ran before it). So the program is a multi-graph plan: graph 0 allocates the device
 * memory ({@link #memory()}, a {@link FloatArray} that never travels as a whole), and every kernel is a graph of
 * its own that consumes it and persists it again; {@code plan.withGraph(i).execute()} launches one kernel. Device
 * arrays are ranges of that memory (handed out by {@link DeviceArrays}); a kernel finds its operands through
 * offsets in its parameter array.
 *
 * <p>Per launch only the kernel's small parameter arrays (shape, offsets, scalars) and its staging buffers, if it
 * has any (the upload and download kernels), cross the bus; {@link TransferStats} counts each of them. A kernel is
 * compiled once, on its first launch, for every shape: TornadoVM freezes scalar task arguments, which is why shapes
 * travel in arrays.
 */
final class DeviceProgram implements AutoCloseable {
    static final String TASK = "kernel";

    /** Adds a kernel's one task (named {@link #TASK}) to its graph. */
    interface Task {
        TaskGraph add(TaskGraph graph, IntArray params, FloatArray scalars, FloatArray memory);
    }

    /** One kernel of the program: its graph's position, grid and argument arrays. */
    final class Kernel {
        final String name;
        final IntArray params;
        final FloatArray scalars;
        private final int index;
        private final WorkerGrid grid;
        private final List<TornadoNativeArray> uploads;
        private final List<TornadoNativeArray> downloads;

        private Kernel(String name, int index, WorkerGrid grid, int params, int scalars,
                       List<TornadoNativeArray> uploads, List<TornadoNativeArray> downloads) {
            this.name = name;
            this.index = index;
            this.grid = grid;
            this.params = new IntArray(Math.max(1, params));
            this.scalars = new FloatArray(Math.max(1, scalars));
            this.uploads = List.copyOf(uploads);
            this.downloads = List.copyOf(downloads);
        }

        /** Launches over {@code gx × gy × gz} work items in groups of {@code lx × ly × lz}. */
        void launch(long gx, long gy, long gz, long lx, long ly, long lz) {
            if (plan == null) throw new IllegalStateException("kernel " + name + " launched before the program was built");
            grid.setGlobalWork(gx, gy, gz);
            grid.setLocalWork(lx, ly, lz);
            stats.argumentsToDevice(params.getNumBytesOfSegment());
            stats.argumentsToDevice(scalars.getNumBytesOfSegment());
            for (TornadoNativeArray array : uploads) stats.hostToDevice(array.getNumBytesOfSegment());
            plan.withGraph(index).execute();
            for (TornadoNativeArray array : downloads) stats.deviceToHost(array.getNumBytesOfSegment());
            stats.launch();
        }

        /** A one-dimensional launch of {@code items} work items (rounded up to whole groups of {@code group}). */
        void launch1D(long items, int group) {
            launch(roundUp(Math.max(items, 1), group), 1, 1, group, 1, 1);
        }

        /** Writes the integer parameters, in the kernel's own layout. */
        void params(int... values) {
            for (int i = 0; i < values.length; i++) params.set(i, values[i]);
        }
    }

    private final FloatArray memory;
    private final TransferStats stats;
    private final IntArray initParams = new IntArray(1);
    private final List<TaskGraph> graphs = new ArrayList<>();
    private final List<Kernel> kernels = new ArrayList<>();
    private final GridScheduler grids = new GridScheduler();
    private final WorkerGrid initGrid = new WorkerGrid1D(1);
    private TornadoExecutionPlan plan;

    /** @param memoryFloats the size of the device memory, in floats */
    DeviceProgram(int memoryFloats, TransferStats stats) {
        this.memory = new FloatArray(memoryFloats);
        this.stats = stats;
        // Graph 0 allocates the memory on the device (persisted, never copied in) by writing one element of it.
        TaskGraph init = new TaskGraph(uniqueName("memory"))
                .transferToDevice(DataTransferMode.EVERY_EXECUTION, initParams)
                .task(TASK, DeviceProgram::touch, new KernelContext(), initParams, memory)
                .persistOnDevice(memory);
        grids.addWorkerGrid(init.getTaskGraphName() + "." + TASK, initGrid);
        graphs.add(init);
    }

    /** The device memory's first element is set to 0: a task that makes TornadoVM allocate the buffer. */
    public static void touch(KernelContext context, IntArray p, FloatArray memory) {
        if (context.globalIdx == 0) {
            memory.set(p.get(0), 0.0f);
        }
    }

    /**
     * Declares a kernel (before {@link #build}).
     *
     * @param uploads   staging buffers copied to the device before every launch (besides params and scalars)
     * @param downloads staging buffers copied back after every launch
     */
    Kernel kernel(String name, WorkerGrid grid, int params, int scalars, List<TornadoNativeArray> uploads,
                  List<TornadoNativeArray> downloads, Task task) {
        if (plan != null) throw new IllegalStateException("kernel " + name + " declared after the program was built");
        Kernel kernel = new Kernel(name, graphs.size(), grid, params, scalars, uploads, downloads);
        TaskGraph graph = new TaskGraph(uniqueName(name));
        List<Object> in = new ArrayList<>(List.of(kernel.params, kernel.scalars));
        in.addAll(uploads);
        graph.transferToDevice(DataTransferMode.EVERY_EXECUTION, in.toArray());
        graph.consumeFromDevice(memory);
        graph = task.add(graph, kernel.params, kernel.scalars, memory);
        if (!downloads.isEmpty()) graph.transferToHost(DataTransferMode.EVERY_EXECUTION, downloads.toArray());
        graph.persistOnDevice(memory);
        grids.addWorkerGrid(graph.getTaskGraphName() + "." + TASK, grid);
        graphs.add(graph);
        kernels.add(kernel);
        return kernel;
    }

    /** Builds the plan and allocates the device memory (graph 0). Kernels compile on their first launch. */
    void build() {
        ImmutableTaskGraph[] snapshots = new ImmutableTaskGraph[graphs.size()];
        for (int i = 0; i < snapshots.length; i++) snapshots[i] = graphs.get(i).snapshot();
        plan = new TornadoExecutionPlan(snapshots);
        plan.withGridScheduler(grids);
        initGrid.setGlobalWork(1, 1, 1);
        initGrid.setLocalWork(1, 1, 1);
        plan.withGraph(0).execute();
        stats.argumentsToDevice(initParams.getNumBytesOfSegment());
    }

    FloatArray memory() {
        return memory;
    }

    /** Rounds {@code n} up to a multiple of {@code multiple}: global sizes must be whole work groups. */
    static long roundUp(long n, long multiple) {
        return (n + multiple - 1) / multiple * multiple;
    }

    private static final java.util.concurrent.atomic.AtomicInteger SERIAL = new java.util.concurrent.atomic.AtomicInteger();

    /** TornadoVM wants graph names unique in the process. */
    private static String uniqueName(String name) {
        return name + SERIAL.incrementAndGet();
    }

    @Override
    public void close() {
        if (plan == null) return;
        try {
            plan.freeDeviceMemory();
            plan.close();
        } catch (Exception e) {
            throw new IllegalStateException("TornadoVM could not release the device program: " + e.getMessage(), e);
        } finally {
            plan = null;
        }
    }
}
