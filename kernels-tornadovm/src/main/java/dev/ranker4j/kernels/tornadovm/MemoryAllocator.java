package dev.ranker4j.kernels.tornadovm;

import java.util.Map;
import java.util.TreeMap;

/**
 * Hands out ranges of the device memory: first fit over a free list ordered by offset, neighbours merged on free.
 * Ranges are rounded up to {@link #ALIGN} floats (64 bytes), so every device array starts on a cache line.
 */
final class MemoryAllocator {
    static final int ALIGN = 16;

    private final TreeMap<Integer, Integer> free = new TreeMap<>();   // offset → length
    private final int capacity;
    private long used;

    MemoryAllocator(int capacity) {
        this.capacity = capacity;
        free.put(0, capacity);
    }

    /** The offset of a new range of at least {@code length} floats, or −1 when no free range is large enough. */
    int allocate(int length) {
        int size = rounded(length);
        for (Map.Entry<Integer, Integer> block : free.entrySet()) {
            // Key and value are read BEFORE the removal: TreeMap deletes a node with two children by moving its
            // successor's key and value into it, so this entry object may name another block afterwards (that bug
            // gave out live ranges twice: a training step's gradients were overwritten).
            int offset = block.getKey(), blockSize = block.getValue();
            if (blockSize >= size) {
                free.remove(offset);
                if (blockSize > size) free.put(offset + size, blockSize - size);
                used += size;
                return offset;
            }
        }
        return -1;
    }

    /** Returns the range {@link #allocate} gave for {@code length} floats at {@code offset}. */
    void free(int offset, int length) {
        int size = rounded(length);
        int start = offset, end = offset + size;
        Map.Entry<Integer, Integer> before = free.floorEntry(offset);
        Map.Entry<Integer, Integer> next = free.ceilingEntry(offset);
        if (offset < 0 || end > capacity || (before != null && before.getKey() + before.getValue() > start)
                || (next != null && next.getKey() < end)) {
            throw new IllegalStateException("device memory: freeing [" + offset + ", " + end + ") which is (partly)"
                    + " free already or outside [0, " + capacity + "): a range freed twice");
        }
        used -= size;
        if (before != null && before.getKey() + before.getValue() == start) {
            start = before.getKey();
            free.remove(before.getKey());
        }
        Integer after = free.get(end);
        if (after != null) {
            free.remove(end);
            end += after;
        }
        free.put(start, end - start);
    }

    long usedFloats() {
        return used;
    }

    int capacity() {
        return capacity;
    }

    private static int rounded(int length) {
        return Math.max(ALIGN, (length + ALIGN - 1) / ALIGN * ALIGN);
    }
}
