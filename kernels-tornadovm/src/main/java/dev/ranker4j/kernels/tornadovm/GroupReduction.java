package dev.ranker4j.kernels.tornadovm;

import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.math.TornadoMath;

/**
 * The second phase of a work-group reduction, called from kernels (TornadoVM inlines it): each of the {@code group}
 * work items brings its private partial, the partials are combined by halving in local memory
 * ({@code group}/2, /4, ... items add the upper half onto the lower), and every item gets the total.
 *
 * <p>Every item of the group must call it (it contains barriers). The combination order is fixed, so the result
 * is deterministic; no atomics are used (OpenCL 1.2 has no float atomics). {@code scratch} is a local array of
 * {@code group} floats, free again when the call returns. {@code group} is a power of two.
 */
final class GroupReduction {
    private GroupReduction() {}

    static float sum(KernelContext context, float[] scratch, int item, int group, float partial) {
        scratch[item] = partial;
        for (int stride = group / 2; stride > 0; stride /= 2) {
            context.localBarrier();
            if (item < stride) {
                scratch[item] += scratch[item + stride];
            }
        }
        context.localBarrier();
        float total = scratch[0];
        context.localBarrier();
        return total;
    }

    static float max(KernelContext context, float[] scratch, int item, int group, float partial) {
        scratch[item] = partial;
        for (int stride = group / 2; stride > 0; stride /= 2) {
            context.localBarrier();
            if (item < stride) {
                scratch[item] = TornadoMath.max(scratch[item], scratch[item + stride]);
            }
        }
        context.localBarrier();
        float total = scratch[0];
        context.localBarrier();
        return total;
    }

    static float min(KernelContext context, float[] scratch, int item, int group, float partial) {
        scratch[item] = partial;
        for (int stride = group / 2; stride > 0; stride /= 2) {
            context.localBarrier();
            if (item < stride) {
                scratch[item] = TornadoMath.min(scratch[item], scratch[item + stride]);
            }
        }
        context.localBarrier();
        float total = scratch[0];
        context.localBarrier();
        return total;
    }
}
