package dev.ranker4j.kernels.tornadovm;

import java.util.List;

import dev.ranker4j.kernels.Backend;
import dev.ranker4j.kernels.CounterRandom;
import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.WorkerGrid1D;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/**
 * Inverted-dropout masks on the device, one work item per element; reference: {@link Backend#dropoutMask}'s float
 * loop, matched bit for bit. The work item calls {@link CounterRandom#word} itself (TornadoVM compiles it to OpenCL
 * {@code long} arithmetic: 64-bit multiplies, xors and shifts), so host and device share one definition of the
 * generator; that definition avoids {@code >>>}, which TornadoVM would compile to a signed shift (see
 * {@link CounterRandom#shiftRightUnsigned}). The keep test is the integer form {@code word >>> 11 >= ⌈p·2⁵³⌉}
 * ({@link CounterRandom#keepThreshold}): no double precision is needed on the device, which OpenCL leaves optional.
 *
 * <p>The mask is written straight into device memory (the output array is never uploaded), where the dropout
 * multiply that follows reads it. The 64-bit seed, first position and threshold travel as pairs of ints: the
 * parameter array is an IntArray.
 */
final class DropoutKernel {
    static final int GROUP = 64;
    static final int OUT_AT = 0, N = 1, SEED_LO = 2, SEED_HI = 3, FIRST_LO = 4, FIRST_HI = 5, THRESHOLD_LO = 6,
            THRESHOLD_HI = 7, PARAMS = 8;
    static final int KEPT = 0, SCALARS = 1;

    /** mem[out + i] = word(first + i, 0) >>> 11 ≥ threshold ? kept : 0, for the stream seed' = mix64(seed). */
    public static void mask(KernelContext context, IntArray p, FloatArray s, FloatArray mem) {
        int i = context.globalIdx;
        if (i < p.get(N)) {
            long mixedSeed = join(p.get(SEED_HI), p.get(SEED_LO));
            long position = join(p.get(FIRST_HI), p.get(FIRST_LO)) + i;
            long threshold = join(p.get(THRESHOLD_HI), p.get(THRESHOLD_LO));
            long topBits = CounterRandom.topBits(CounterRandom.word(mixedSeed, position, 0));
            mem.set(p.get(OUT_AT) + i, topBits >= threshold ? s.get(KEPT) : 0.0f);
        }
    }

    /** The long whose high and low 32 bits are {@code high} and {@code low}. */
    static long join(int high, int low) {
        return ((long) high << 32) | (low & 0xFFFFFFFFL);
    }

    private final DeviceArrays arrays;
    private final DeviceProgram.Kernel kernel;

    DropoutKernel(DeviceProgram program, DeviceArrays arrays) {
        this.arrays = arrays;
        kernel = program.kernel("dropoutMask", new WorkerGrid1D(GROUP), PARAMS, SCALARS, List.of(), List.of(),
                (g, p, s, m) -> g.task(DeviceProgram.TASK, DropoutKernel::mask, new KernelContext(), p, s, m));
    }

    /** out[outOff, outOff + n) = the mask of positions [firstPosition, firstPosition + n); see {@link Backend#dropoutMask}. */
    void run(long seed, long firstPosition, double p, float[] out, int outOff, int n) {
        float kept = (float) CounterRandom.keptValue(p); // validates p, also when n = 0
        long threshold = CounterRandom.keepThreshold(p);
        if (n == 0) return;
        long mixedSeed = CounterRandom.streamSeed(seed);
        int outAt = arrays.write(out, outOff, outOff + n) + outOff;
        kernel.params(outAt, n, (int) mixedSeed, (int) (mixedSeed >>> 32), (int) firstPosition,
                (int) (firstPosition >>> 32), (int) threshold, (int) (threshold >>> 32));
        kernel.scalars.set(KEPT, kept);
        kernel.launch1D(n, GROUP);
    }
}
