package dev.ranker4j.kernels.tornadovm;

import uk.ac.manchester.tornado.api.types.arrays.FloatArray;

/**
 * A {@link DevicePlan} over float staging buffers that grow on demand. Growing means building (and compiling) the
 * plan again, so capacities jump in powers of two and a workload of similar shapes compiles each kernel once or
 * twice.
 */
final class StagedPlan implements AutoCloseable {
    /** Builds the plan over freshly sized staging buffers, in the order {@link #ensure} names them. */
    interface Builder {
        DevicePlan build(FloatArray[] staging);
    }

    private final Builder builder;
    private final FloatArray[] staging;
    private DevicePlan plan;

    StagedPlan(int buffers, Builder builder) {
        this.builder = builder;
        this.staging = new FloatArray[buffers];
    }

    /** The staging buffers, each holding at least {@code needed[i]} elements. */
    FloatArray[] ensure(int... needed) {
        boolean fits = plan != null;
        for (int i = 0; i < staging.length; i++) fits &= Staging.fits(staging[i], needed[i]);
        if (!fits) {
            if (plan != null) plan.close();
            for (int i = 0; i < staging.length; i++) {
                int capacity = Staging.capacityFor(needed[i]);
                if (staging[i] == null || staging[i].getSize() < capacity) staging[i] = new FloatArray(capacity);
            }
            plan = builder.build(staging);
        }
        return staging;
    }

    DevicePlan plan() {
        return plan;
    }

    @Override
    public void close() {
        if (plan != null) plan.close();
        plan = null;
    }
}
