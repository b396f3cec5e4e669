package dev.ranker4j.kernels.tornadovm;

import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.math.TornadoMath;

/**
 * The second phase of a work-group reduction, called from kernels (TornadoVM inlines it): each of the {@code group}
 * work items brings its private partial, the partials are combined by halving in local memory
 * ({@code group}/2, /4, ... items fold the upper half onto the lower), and every item gets the total.
 *
 * <p>Every item of the group must call it (it contains barriers). The combination order is fixed, so the result
 * is deterministic; no atomics are used (OpenCL 1.2 has no float atomics). {@code scratch} is a local array of
 * {@code group} floats, free again when the call returns. {@code group} is a power of two.
 */
final class GroupReduction {
    private GroupReduction() {}

    private static final int SUM = 0, MAX = 1, MIN = 2;

    static float sum(KernelContext context, float[] scratch, int item, int group, float partial) {
        return reduce(context, scratch, item, group, partial, SUM);
    }

    static float max(KernelContext context, float[] scratch, int item, int group, float partial) {
        return reduce(context, scratch, item, group, partial, MAX);
    }

    static float min(KernelContext context, float[] scratch, int item, int group, float partial) {
        return reduce(context, scratch, item, group, partial, MIN);
    }

    /** {@code op} is a constant at every call site, so the compiled kernel keeps only its branch. */
    private static float reduce(KernelContext context, float[] scratch, int item, int group, float partial, int op) {
        scratch[item] = partial;
        for (int stride = group / 2; stride > 0; stride /= 2) {
            context.localBarrier();
            if (item < stride) {
                float lower = scratch[item];
                float upper = scratch[item + stride];
                if (op == SUM) {
                    scratch[item] = lower + upper;
                } else if (op == MAX) {
                    scratch[item] = TornadoMath.max(lower, upper);
                } else {
                    scratch[item] = TornadoMath.min(lower, upper);
                }
            }
        }
        context.localBarrier();
        float total = scratch[0];
        context.localBarrier();
        return total;
    }
}
