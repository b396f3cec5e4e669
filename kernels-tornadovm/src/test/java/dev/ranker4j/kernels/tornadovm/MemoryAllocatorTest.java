package dev.ranker4j.kernels.tornadovm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * {@link MemoryAllocator} against a plain model: a flag per 16-float slot, first fit by scanning the flags. No
 * device is needed. A range handed out twice is exactly what corrupted a training step's gradients once (the
 * allocator read a TreeMap entry after removing it), so every answer is compared with the model's.
 */
class MemoryAllocatorTest {
    private static final int ALIGN = MemoryAllocator.ALIGN;

    @Property(tries = 40)
    void agreesWithAFirstFitScanOverSlots(@ForAll long seed) {
        Random random = new Random(seed);
        int slots = 64;
        MemoryAllocator allocator = new MemoryAllocator(slots * ALIGN);
        boolean[] taken = new boolean[slots];
        List<int[]> live = new ArrayList<>();                      // {offset, length}
        for (int step = 0; step < 400; step++) {
            if (live.isEmpty() || random.nextInt(5) < 3) {
                int length = 1 + random.nextInt(random.nextBoolean() ? ALIGN : 6 * ALIGN);
                int need = (length + ALIGN - 1) / ALIGN;
                int expected = firstFit(taken, need);
                int offset = allocator.allocate(length);
                assertEquals(expected < 0 ? -1 : expected * ALIGN, offset, "allocate(" + length + ") at step " + step);
                if (offset >= 0) {
                    for (int s = 0; s < need; s++) taken[offset / ALIGN + s] = true;
                    live.add(new int[] {offset, length});
                }
            } else {
                int[] range = live.remove(random.nextInt(live.size()));
                allocator.free(range[0], range[1]);
                for (int s = 0; s < (range[1] + ALIGN - 1) / ALIGN; s++) taken[range[0] / ALIGN + s] = false;
            }
            long used = 0;
            for (boolean t : taken) if (t) used += ALIGN;
            assertEquals(used, allocator.usedFloats(), "floats in use at step " + step);
        }
    }

    @Test
    void freeingARangeTwiceIsAnError() {
        MemoryAllocator allocator = new MemoryAllocator(8 * ALIGN);
        int a = allocator.allocate(ALIGN);
        allocator.allocate(ALIGN);
        allocator.free(a, ALIGN);
        assertThrows(IllegalStateException.class, () -> allocator.free(a, ALIGN));
    }

    /** The first run of {@code need} free slots, or −1. */
    private static int firstFit(boolean[] taken, int need) {
        for (int start = 0, run = 0; start + run < taken.length; ) {
            if (taken[start + run]) {
                start += run + 1;
                run = 0;
            } else if (++run == need) {
                return start;
            }
        }
        return -1;
    }
}
