package dev.ranker4j.kernels.tornadovm;

import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which Java {@code float[]} has a copy in the device memory, where, and which copy is current: the one mechanism
 * that keeps weights AND activations on the device.
 *
 * <p>Each array the kernels touch gets a range of the device memory the size of the whole array, and a state:
 * <ul>
 *   <li>{@code BOTH}: host and device hold the same values (a weight after its first upload);</li>
 *   <li>{@code DEVICE_NEWER}: a kernel wrote it and the host array is stale (an activation);</li>
 *   <li>{@code HOST_NEWER}: host code wrote it after the device copy was made (an optimizer step).</li>
 * </ul>
 * A kernel input is uploaded only when the host is newer (or on first use); a kernel output is only marked
 * {@code DEVICE_NEWER}, never downloaded; {@link #toHost} downloads lazily when host code is about to read the array
 * (the {@code Backend.beforeHostAccess} hook), and {@link #hostWrote} records host writes ({@code afterHostWrite}).
 * An array that is all zeros (a fresh output or gradient buffer) is filled on the device instead of uploaded.
 *
 * <p>The map holds its arrays weakly (identity names an array): when the garbage collector takes a host array, its
 * device range is freed the next time the map is used. When the device memory is full, the collector is asked to
 * run; if that frees too little, the least recently used arrays that the current call does not use are moved back
 * to the host (downloaded if the device was newer) and their ranges freed. Arrays registered with {@link #pin}
 * (weights) are never moved out.
 */
final class DeviceArrays {
    enum State { BOTH, DEVICE_NEWER, HOST_NEWER }

    /** A host array's device range; the weak reference is the host array itself. */
    private static final class Entry extends WeakReference<float[]> {
        final int hash;
        final int offset;
        final int length;
        State state = State.BOTH;
        boolean pinned;
        long lastUse;

        Entry(float[] host, int offset, ReferenceQueue<float[]> queue) {
            super(host, queue);
            this.hash = System.identityHashCode(host);
            this.offset = offset;
            this.length = host.length;
        }
    }

    private final TransferKernels transfers;
    private final MemoryAllocator allocator;
    private final Map<Integer, List<Entry>> byHash = new HashMap<>();
    private final ReferenceQueue<float[]> collected = new ReferenceQueue<>();
    private long clock;
    private long callStart;

    DeviceArrays(TransferKernels transfers, int capacity) {
        this.transfers = transfers;
        this.allocator = new MemoryAllocator(capacity);
    }

    /** Starts a backend call: arrays used from now on are not moved out to make room until the next call. */
    void beginCall() {
        callStart = ++clock;
        freeCollected();
    }

    /** The device position of {@code host[0]}, its device copy current (uploaded if the host was newer). */
    int read(float[] host) {
        Entry entry = find(host);
        if (entry == null) {
            entry = add(host);
            upload(entry, host);
        } else if (entry.state == State.HOST_NEWER) {
            upload(entry, host);
            entry.state = State.BOTH;
        }
        entry.lastUse = ++clock;
        return entry.offset;
    }

    /**
     * The device position of {@code host[0]} for a kernel that writes {@code host[from, to)}: afterwards the device
     * copy is the newer one. When the kernel writes only part of the array, the device copy must be current outside
     * that part first (uploaded if the host was newer).
     */
    int write(float[] host, int from, int to) {
        boolean whole = from <= 0 && to >= host.length;
        Entry entry = find(host);
        if (entry == null) {
            entry = add(host);
            if (!whole) upload(entry, host);
        } else if (entry.state == State.HOST_NEWER && !whole) {
            upload(entry, host);
        }
        entry.state = State.DEVICE_NEWER;
        entry.lastUse = ++clock;
        return entry.offset;
    }

    /** An array read and written in place (an accumulator): current on the device, then marked device-newer. */
    int readWrite(float[] host) {
        int at = read(host);
        find(host).state = State.DEVICE_NEWER;
        return at;
    }

    /** Host code is about to read {@code array}: download it if the device holds a newer copy. */
    void toHost(Object array) {
        if (!(array instanceof float[] host)) return;
        Entry entry = find(host);
        if (entry != null && entry.state == State.DEVICE_NEWER) {
            transfers.download(entry.offset, entry.length, host, 0);
            entry.state = State.BOTH;
        }
    }

    /** Host code wrote {@code array}: its device copy (if any) is stale. */
    void hostWrote(Object array) {
        if (!(array instanceof float[] host)) return;
        Entry entry = find(host);
        if (entry != null) entry.state = State.HOST_NEWER;
    }

    /** Downloads every array the device holds newer (before another backend takes over). */
    void allToHost() {
        for (List<Entry> chain : byHash.values()) {
            for (Entry entry : chain) {
                float[] host = entry.get();
                if (host != null && entry.state == State.DEVICE_NEWER) toHost(host);
            }
        }
    }

    /** Uploads {@code host} now and keeps it on the device for good (a weight). */
    void pin(float[] host) {
        read(host);
        find(host).pinned = true;
    }

    /** Forgets the device copy of {@code host} (downloading it first if it was newer) and frees its range. */
    void release(float[] host) {
        toHost(host);
        Entry entry = find(host);
        if (entry != null) remove(entry);
    }

    /** A device-only range of {@code length} floats (kernel scratch); give it back with {@link #freeScratch}. */
    int scratch(int length) {
        return allocate(length);
    }

    void freeScratch(int offset, int length) {
        allocator.free(offset, length);
    }

    /** A scratch range holding {@code values} (an index list, say); free it with {@link #freeScratch}. */
    int temporary(float[] values) {
        int at = allocate(values.length);
        transfers.upload(values, 0, values.length, at);
        return at;
    }

    /** Floats of device memory in use. */
    long usedFloats() {
        return allocator.usedFloats();
    }

    /** Arrays with a device copy (for tests). */
    int size() {
        int n = 0;
        for (List<Entry> chain : byHash.values()) n += chain.size();
        return n;
    }

    // ------------------------------------------------------------------------------------------------ internals

    private Entry find(float[] host) {
        List<Entry> chain = byHash.get(System.identityHashCode(host));
        if (chain == null) return null;
        for (Entry entry : chain) if (entry.get() == host) return entry;
        return null;
    }

    private Entry add(float[] host) {
        Entry entry = new Entry(host, allocate(host.length), collected);
        byHash.computeIfAbsent(entry.hash, h -> new ArrayList<>(1)).add(entry);
        return entry;
    }

    /**
     * Forgets {@code entry} and frees its range, once: an entry moved out to make room (or released) may still be
     * queued by the garbage collector later, and freeing its range again would hand out memory in use.
     */
    private void remove(Entry entry) {
        List<Entry> chain = byHash.get(entry.hash);
        if (chain == null || !chain.remove(entry)) return;
        if (chain.isEmpty()) byHash.remove(entry.hash);
        entry.clear();
        allocator.free(entry.offset, entry.length);
    }

    /** Uploads the whole array, or fills it on the device when it is all (+0.0) zeros. */
    private void upload(Entry entry, float[] host) {
        if (allZeroBits(host)) transfers.fill(entry.offset, entry.length, 0f);
        else transfers.upload(host, 0, entry.length, entry.offset);
    }

    private static boolean allZeroBits(float[] values) {
        for (float value : values) if (Float.floatToRawIntBits(value) != 0) return false;
        return true;
    }

    /** Frees the ranges of host arrays the garbage collector has taken. */
    private void freeCollected() {
        for (Reference<? extends float[]> gone; (gone = collected.poll()) != null; ) remove((Entry) gone);
    }

    private int allocate(int length) {
        int at = allocator.allocate(length);
        if (at >= 0) return at;
        freeCollected();
        at = allocator.allocate(length);
        if (at >= 0) return at;
        System.gc(); // host arrays nobody references may still hold device ranges
        try {
            for (Reference<? extends float[]> gone; (gone = collected.remove(100)) != null; ) remove((Entry) gone);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        at = allocator.allocate(length);
        if (at >= 0) return at;
        // Move the least recently used arrays that this call does not use back to the host.
        List<Entry> candidates = new ArrayList<>();
        for (List<Entry> chain : byHash.values()) {
            for (Entry entry : chain) if (!entry.pinned && entry.lastUse < callStart) candidates.add(entry);
        }
        candidates.sort(Comparator.comparingLong(e -> e.lastUse));
        for (Entry entry : candidates) {
            float[] host = entry.get();
            if (host != null) toHost(host);
            remove(entry);
            at = allocator.allocate(length);
            if (at >= 0) return at;
        }
        throw new IllegalStateException("TornadoVM backend: device memory full: " + length + " floats requested, "
                + allocator.usedFloats() + " of " + allocator.capacity() + " in use by arrays this call needs or"
                + " pinned weights; raise -D" + TornadoBackend.MEMORY_PROPERTY + " (MB)");
    }
}
