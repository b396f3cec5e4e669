package dev.ranker4j.kernels;

/**
 * A backend whose kernels run on a device with memory of its own (a GPU, or an OpenCL CPU device): it names the
 * device and counts what crosses between host and device, so that benchmarks and tests can report and check
 * transfers without depending on the backend's module.
 */
public interface DeviceBackend extends Backend {

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
