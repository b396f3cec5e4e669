package dev.ranker4j.hfio.safetensors;

import java.util.Arrays;
import java.util.Objects;

/**
 * What the header says about one tensor: its name, element type and shape (row-major, outermost dimension first).
 * A scalar has the empty shape and one element.
 */
public record SafetensorsTensorInfo(String name, SafetensorsDtype dtype, long[] shape) {

    public SafetensorsTensorInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dtype, "dtype");
        shape = shape.clone();
        for (long dim : shape) {
            if (dim < 0) {
                throw new IllegalArgumentException("tensor " + name + ": negative dimension in shape " + Arrays.toString(shape));
            }
        }
    }

    /** A copy of the shape. */
    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** Number of dimensions. */
    public int rank() {
        return shape.length;
    }

    /** Product of the dimensions (1 for a scalar). */
    public long elementCount() {
        return elementCount(shape);
    }

    /** Bytes the data occupies: element count times the element size. */
    public long byteCount() {
        return Math.multiplyExact(elementCount(), dtype.byteSize());
    }

    /** Product of the dimensions; throws {@link ArithmeticException} when it does not fit in a long. */
    static long elementCount(long[] shape) {
        long count = 1;
        for (long dim : shape) {
            count = Math.multiplyExact(count, dim);
        }
        return count;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SafetensorsTensorInfo that
                && name.equals(that.name) && dtype == that.dtype && Arrays.equals(shape, that.shape);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, dtype, Arrays.hashCode(shape));
    }

    @Override
    public String toString() {
        return name + " " + dtype + " " + Arrays.toString(shape);
    }
}
