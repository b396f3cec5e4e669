package dev.ranker4j.kernels.tornadovm;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.WorkerGrid1D;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/**
 * Moves ranges between Java arrays and the device memory. TornadoVM copies whole objects, so a range travels
 * through a staging buffer: the host fills it, the upload kernel's graph sends it and the kernel copies it into
 * place (and the reverse for downloads). Staging buffers come in size classes (1 Ki floats times powers of 2, up
 * to 1 Mi floats; a larger range goes in chunks), each a kernel of its own (compiled on first use), so a range
 * sends less than twice its size, and at least 4 KB. Filling with a constant (a fresh zero array) needs no staging.
 */
final class TransferKernels {
    static final int GROUP = 64;
    static final int SMALLEST = 1024, LARGEST = 1 << 20;
    static final int OFFSET = 0, COUNT = 1, PARAMS = 2;

    /** memory[p0 + i] = staging[i] for i below p1. */
    public static void upload(KernelContext context, IntArray p, FloatArray staging, FloatArray memory) {
        int i = context.globalIdx;
        if (i < p.get(COUNT)) {
            memory.set(p.get(OFFSET) + i, staging.get(i));
        }
    }

    /** staging[i] = memory[p0 + i] for i below p1. */
    public static void download(KernelContext context, IntArray p, FloatArray memory, FloatArray staging) {
        int i = context.globalIdx;
        if (i < p.get(COUNT)) {
            staging.set(i, memory.get(p.get(OFFSET) + i));
        }
    }

    /** memory[p0 + i] = s0 for i below p1. */
    public static void fill(KernelContext context, IntArray p, FloatArray s, FloatArray memory) {
        int i = context.globalIdx;
        if (i < p.get(COUNT)) {
            memory.set(p.get(OFFSET) + i, s.get(0));
        }
    }

    private final DeviceProgram.Kernel[] uploads, downloads;
    private final FloatArray[] uploadStaging, downloadStaging;
    private final DeviceProgram.Kernel fill;

    TransferKernels(DeviceProgram program) {
        int classes = 0;
        for (int size = SMALLEST; size <= LARGEST; size *= 2) classes++;
        uploads = new DeviceProgram.Kernel[classes];
        downloads = new DeviceProgram.Kernel[classes];
        uploadStaging = new FloatArray[classes];
        downloadStaging = new FloatArray[classes];
        for (int c = 0, size = SMALLEST; c < classes; c++, size *= 2) {
            FloatArray up = uploadStaging[c] = new FloatArray(size);
            FloatArray down = downloadStaging[c] = new FloatArray(size);
            uploads[c] = program.kernel("upload" + size, new WorkerGrid1D(GROUP), PARAMS, 0, List.of(up), List.of(),
                    (g, p, s, m) -> g.task(DeviceProgram.TASK, TransferKernels::upload, new KernelContext(), p, up, m));
            downloads[c] = program.kernel("download" + size, new WorkerGrid1D(GROUP), PARAMS, 0, List.of(),
                    List.of(down),
                    (g, p, s, m) -> g.task(DeviceProgram.TASK, TransferKernels::download, new KernelContext(), p, m, down));
        }
        fill = program.kernel("fill", new WorkerGrid1D(GROUP), PARAMS, 1, List.of(), List.of(),
                (g, p, s, m) -> g.task(DeviceProgram.TASK, TransferKernels::fill, new KernelContext(), p, s, m));
    }

    /** device[at, at + n) = host[from, from + n). */
    void upload(float[] host, int from, int n, int at) {
        for (int done = 0; done < n; ) {
            int c = sizeClass(n - done);
            int chunk = Math.min(n - done, uploadStaging[c].getSize());
            MemorySegment.copy(host, from + done, uploadStaging[c].getSegment(), ValueLayout.JAVA_FLOAT, 0, chunk);
            uploads[c].params(at + done, chunk);
            uploads[c].launch1D(chunk, GROUP);
            done += chunk;
        }
    }

    /** host[from, from + n) = device[at, at + n). */
    void download(int at, int n, float[] host, int from) {
        for (int done = 0; done < n; ) {
            int c = sizeClass(n - done);
            int chunk = Math.min(n - done, downloadStaging[c].getSize());
            downloads[c].params(at + done, chunk);
            downloads[c].launch1D(chunk, GROUP);
            MemorySegment.copy(downloadStaging[c].getSegment(), ValueLayout.JAVA_FLOAT, 0, host, from + done, chunk);
            done += chunk;
        }
    }

    /** device[at, at + n) = value. */
    void fill(int at, int n, float value) {
        if (n == 0) return;
        fill.params(at, n);
        fill.scalars.set(0, value);
        fill.launch1D(n, GROUP);
    }

    /** The smallest staging class holding {@code n} floats, or the largest one (the range then goes in chunks). */
    private int sizeClass(int n) {
        int c = 0;
        for (int size = SMALLEST; c < uploads.length - 1 && size < n; size *= 2) c++;
        return c;
    }

    /** The floats that cross the bus to move a range of {@code n} floats (staging buffers travel whole). */
    static long stagedFloats(int n) {
        long total = 0;
        for (int rest = n; rest > 0; ) {
            int size = SMALLEST;
            while (size < rest && size < LARGEST) size *= 2;
            total += size;
            rest -= Math.min(rest, size);
        }
        return total;
    }
}
