package dev.ranker4j.kernels;

/**
 * A backend whose kernels run on a device with memory of its own (a GPU, or an OpenCL CPU device). It keeps the
 * float arrays its kernels use on the device: inputs are uploaded when the host copy is newer, outputs stay there.
 * The Java array remains the name of the data, and whoever touches its elements on the host (rather than through a
 * kernel call) tells the backend with the residency hooks below; in ranker4j that is the tensor layer (Storage), in
 * one place, and {@code Module.keepParametersOnDevice}. Host backends (CPU, reference) are not DeviceBackends, so
 * callers skip the hooks for them ({@code if (backend instanceof DeviceBackend device) ...}).
 *
 * <p>It also names the device and counts what crosses between host and device, so that benchmarks and tests can
 * report and check transfers without depending on the backend's module. Double arrays never live on a device: F64
 * runs on the host's reference kernels.
 */
public interface DeviceBackend extends Backend {

    /**
     * Host code is about to read {@code array} (passed to kernels of this backend before), or to write only part of
     * it: the backend downloads it if the device holds a newer copy.
     */
    void beforeHostAccess(float[] array);

    /** Host code wrote {@code array}: a device copy, if any, is stale and is uploaded again by the next kernel. */
    void afterHostWrite(float[] array);

    /**
     * Makes every array the host may read current (downloads everything the device holds newer): called when this
     * backend stops being the current one, so that host code and the next backend see the results.
     */
    void synchronizeHost();

    /**
     * A hint, not a kernel: {@code weights} (a model parameter) will be read by many calls, so the backend may upload
     * it now and never move it out to make room; the array's identity names it. Host changes afterwards are reported
     * like any other with {@link #afterHostWrite}.
     */
    void keepOnDevice(float[] weights);

    /** The device the kernels run on, as its driver names it. */
    String device();

    /** The copies and launches since this backend was created. */
    TransferCounts transfers();

    /**
     * A reading of the transfer counters: copies in each direction (count and bytes) and kernel launches.
     * {@code kernelArgumentBytes} is the part of {@code hostToDeviceBytes} that are kernel arguments (shapes, offsets,
     * scalars: a few dozen bytes per launch), so that data and arguments can be told apart.
     */
    record TransferCounts(long hostToDeviceCount, long hostToDeviceBytes, long deviceToHostCount,
                          long deviceToHostBytes, long kernelLaunches, long kernelArgumentBytes) {

        /** What happened between {@code earlier} and this reading. */
        public TransferCounts minus(TransferCounts earlier) {
            return new TransferCounts(hostToDeviceCount - earlier.hostToDeviceCount,
                    hostToDeviceBytes - earlier.hostToDeviceBytes, deviceToHostCount - earlier.deviceToHostCount,
                    deviceToHostBytes - earlier.deviceToHostBytes, kernelLaunches - earlier.kernelLaunches,
                    kernelArgumentBytes - earlier.kernelArgumentBytes);
        }

        /** Host→device bytes that are data (arrays), not kernel arguments. */
        public long hostToDeviceDataBytes() {
            return hostToDeviceBytes - kernelArgumentBytes;
        }

        /** The counts as JSON members (no braces), e.g. for a benchmark line. */
        public String jsonMembers() {
            return "\"host_to_device_copies\":" + hostToDeviceCount + ",\"host_to_device_bytes\":" + hostToDeviceBytes
                    + ",\"host_to_device_argument_bytes\":" + kernelArgumentBytes
                    + ",\"device_to_host_copies\":" + deviceToHostCount + ",\"device_to_host_bytes\":"
                    + deviceToHostBytes + ",\"kernel_launches\":" + kernelLaunches;
        }
    }
}
