package dev.ranker4j.kernels.tornadovm;

import dev.ranker4j.kernels.DeviceBackend.TransferCounts;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts what crosses the bus between host and device: every buffer a TornadoVM plan copies in either direction,
 * with its size. The bench prints these next to its timings, and tests use them to check that resident weights
 * are uploaded once.
 */
final class TransferStats {
    private final AtomicLong hostToDeviceCount = new AtomicLong();
    private final AtomicLong hostToDeviceBytes = new AtomicLong();
    private final AtomicLong deviceToHostCount = new AtomicLong();
    private final AtomicLong deviceToHostBytes = new AtomicLong();
    private final AtomicLong kernelLaunches = new AtomicLong();
    private final AtomicLong argumentBytes = new AtomicLong();

    void hostToDevice(long bytes) {
        hostToDeviceCount.incrementAndGet();
        hostToDeviceBytes.addAndGet(bytes);
    }

    /** A kernel's argument array (shape, offsets, scalars) went to the device. */
    void argumentsToDevice(long bytes) {
        hostToDevice(bytes);
        argumentBytes.addAndGet(bytes);
    }

    void deviceToHost(long bytes) {
        deviceToHostCount.incrementAndGet();
        deviceToHostBytes.addAndGet(bytes);
    }

    void launch() {
        kernelLaunches.incrementAndGet();
    }

    /** An immutable reading of the counters. */
    TransferCounts snapshot() {
        return new TransferCounts(hostToDeviceCount.get(), hostToDeviceBytes.get(), deviceToHostCount.get(),
                deviceToHostBytes.get(), kernelLaunches.get(), argumentBytes.get());
    }
}
