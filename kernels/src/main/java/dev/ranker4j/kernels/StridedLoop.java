package dev.ranker4j.kernels;

/**
 * Walks a row-major index space and keeps, for each of several operands, the flat position of the current element
 * through that operand's strides. The scalar kernels use it for every strided or broadcasting loop, so the index
 * arithmetic is written once.
 */
public final class StridedLoop {
    private final int[] shape;
    private final int[][] strides;
    private final int[] counter;
    private final int[] position;
    private final int[] offsets;

    /** @param offsets the start position of each operand; @param strides one stride array (of shape.length) per operand */
    public StridedLoop(int[] shape, int[] offsets, int[]... strides) {
        for (int[] s : strides) {
            if (s.length != shape.length) {
                throw new IllegalArgumentException("strides of rank " + s.length + " for shape of rank " + shape.length);
            }
        }
        this.shape = shape;
        this.strides = strides;
        this.counter = new int[shape.length];
        this.position = offsets.clone();
        this.offsets = offsets.clone();
    }

    /** Number of elements in the index space. */
    public static long size(int[] shape) {
        long size = 1;
        for (int d : shape) size *= d;
        return size;
    }

    /** Current flat position of operand {@code operand}. */
    public int position(int operand) {
        return position[operand];
    }

    /** Jumps to the element with row-major index {@code index} (0 = the start), so a thread can begin mid-way. */
    public void moveTo(long index) {
        System.arraycopy(offsets, 0, position, 0, position.length);
        for (int axis = shape.length - 1; axis >= 0; axis--) {
            counter[axis] = (int) (index % shape[axis]);
            index /= shape[axis];
            for (int op = 0; op < position.length; op++) position[op] += counter[axis] * strides[op][axis];
        }
    }

    /** Moves to the next element in row-major order (the last axis fastest). */
    public void advance() {
        for (int axis = shape.length - 1; axis >= 0; axis--) {
            counter[axis]++;
            for (int op = 0; op < position.length; op++) position[op] += strides[op][axis];
            if (counter[axis] < shape[axis]) return;
            for (int op = 0; op < position.length; op++) position[op] -= strides[op][axis] * shape[axis];
            counter[axis] = 0;
        }
    }
}
