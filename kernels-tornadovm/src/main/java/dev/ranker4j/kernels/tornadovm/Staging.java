package dev.ranker4j.kernels.tornadovm;

import java.lang.foreign.ValueLayout;
import java.lang.foreign.MemorySegment;

import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/**
 * Host-side staging: TornadoVM moves its own off-heap arrays ({@link FloatArray}), not Java {@code float[]}, so each
 * call copies the range it reads into a staging array and the range it writes back out. Staging arrays are sized
 * in powers of two and reused, because a new array means a new task graph, and a new task graph means compiling
 * the kernel again.
 */
final class Staging {
    private Staging() {}

    /** The smallest capacity class that holds {@code needed} elements. */
    static int capacityFor(int needed) {
        int capacity = 1024;
        while (capacity < needed) capacity <<= 1;
        return capacity;
    }

    static boolean fits(FloatArray array, int needed) {
        return array != null && array.getSize() >= needed;
    }

    static boolean fits(IntArray array, int needed) {
        return array != null && array.getSize() >= needed;
    }

    /** dst[dstOff, dstOff + n) = src[srcOff, srcOff + n). */
    static void put(float[] src, int srcOff, FloatArray dst, int dstOff, int n) {
        MemorySegment.copy(src, srcOff, dst.getSegment(), ValueLayout.JAVA_FLOAT, (long) dstOff * Float.BYTES, n);
    }

    static void put(int[] src, int srcOff, IntArray dst, int dstOff, int n) {
        MemorySegment.copy(src, srcOff, dst.getSegment(), ValueLayout.JAVA_INT, (long) dstOff * Integer.BYTES, n);
    }

    /** dst[dstOff, dstOff + n) = src[srcOff, srcOff + n). */
    static void get(FloatArray src, int srcOff, float[] dst, int dstOff, int n) {
        MemorySegment.copy(src.getSegment(), ValueLayout.JAVA_FLOAT, (long) srcOff * Float.BYTES, dst, dstOff, n);
    }

    static void get(IntArray src, int srcOff, int[] dst, int dstOff, int n) {
        MemorySegment.copy(src.getSegment(), ValueLayout.JAVA_INT, (long) srcOff * Integer.BYTES, dst, dstOff, n);
    }

    /**
     * The number of elements from {@code offset} to the last one a strided walk over {@code shape} touches, plus
     * one: what must be staged for that operand (strides are non-negative; 0 broadcasts).
     */
    static int span(int[] shape, int[] strides) {
        long last = 0;
        for (int d = 0; d < shape.length; d++) last += (long) (shape[d] - 1) * strides[d];
        return Math.toIntExact(last + 1);
    }
}
