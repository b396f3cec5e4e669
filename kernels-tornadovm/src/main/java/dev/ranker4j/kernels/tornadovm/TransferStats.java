package dev.ranker4j.kernels.tornadovm;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts what crosses the bus between host and device: every buffer a TornadoVM plan copies in either direction,
 * with its size. The bench prints these next to its timings, and tests use them to check that resident weights
 * are uploaded once.
 */
public final class TransferStats {
    private final AtomicLong hostToDeviceCount = new AtomicLong();
    private final AtomicLong hostToDeviceBytes = new AtomicLong();
    private final AtomicLong deviceToHostCount = new AtomicLong();
    private final AtomicLong deviceToHostBytes = new AtomicLong();
    private final AtomicLong kernelLaunches = new AtomicLong();

    /** An immutable reading of the counters. */
    public record Snapshot(long hostToDeviceCount, long hostToDeviceBytes, long deviceToHostCount,
                           long deviceToHostBytes, long kernelLaunches) {
        /** What happened between {@code earlier} and this reading. */
        public Snapshot minus(Snapshot earlier) {
            return new Snapshot(hostToDeviceCount - earlier.hostToDeviceCount,
                    hostToDeviceBytes - earlier.hostToDeviceBytes, deviceToHostCount - earlier.deviceToHostCount,
                    deviceToHostBytes - earlier.deviceToHostBytes, kernelLaunches - earlier.kernelLaunches);
        }
    }

    void hostToDevice(long bytes) {
        hostToDeviceCount.incrementAndGet();
        hostToDeviceBytes.addAndGet(bytes);
    }

    void deviceToHost(long bytes) {
        deviceToHostCount.incrementAndGet();
        deviceToHostBytes.addAndGet(bytes);
    }

    void launch() {
        kernelLaunches.incrementAndGet();
    }

    public Snapshot snapshot() {
        return new Snapshot(hostToDeviceCount.get(), hostToDeviceBytes.get(), deviceToHostCount.get(),
                deviceToHostBytes.get(), kernelLaunches.get());
    }
}
