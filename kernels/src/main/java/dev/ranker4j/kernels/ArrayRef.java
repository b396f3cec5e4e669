package dev.ranker4j.kernels;

/**
 * A kernel operand: a flat {@code float[]} or {@code double[]} and the index its data starts at. Every
 * {@link Backend} method takes its arrays this way, so one method serves both precisions and the tensor layer never
 * branches on the dtype: it hands over its storage as an {@code ArrayRef}, and the backend picks the kernel.
 *
 * <p>The precision policy: {@link F32} is the fast path (SIMD, threads, devices); {@link F64} exists for checking
 * (gradient checks, references) and runs on the reference kernels, whichever backend is current.
 */
public sealed interface ArrayRef permits ArrayRef.F32, ArrayRef.F64 {

    /** {@code array[offset ...]}, single precision. */
    record F32(float[] array, int offset) implements ArrayRef {}

    /** {@code array[offset ...]}, double precision. */
    record F64(double[] array, int offset) implements ArrayRef {}

    static F32 of(float[] array, int offset) {
        return new F32(array, offset);
    }

    static F64 of(double[] array, int offset) {
        return new F64(array, offset);
    }

    static F32 of(float[] array) {
        return new F32(array, 0);
    }

    static F64 of(double[] array) {
        return new F64(array, 0);
    }

    /** The index the operand starts at. */
    int offset();

    /** The length of the whole array (not counting from the offset). */
    default int length() {
        return switch (this) {
            case F32 f -> f.array().length;
            case F64 d -> d.array().length;
        };
    }

    /** The same array from another start index. */
    default ArrayRef at(int newOffset) {
        return switch (this) {
            case F32 f -> new F32(f.array(), newOffset);
            case F64 d -> new F64(d.array(), newOffset);
        };
    }

    /** The same array, {@code delta} further on. */
    default ArrayRef plus(int delta) {
        return at(offset() + delta);
    }

    /** Element {@code i} of the whole array (absolute index, the offset not added), widened to double. */
    default double get(int i) {
        return switch (this) {
            case F32 f -> f.array()[i];
            case F64 d -> d.array()[i];
        };
    }

    /** Stores {@code value} at absolute index {@code i}, rounded to the array's precision. */
    default void set(int i, double value) {
        switch (this) {
            case F32 f -> f.array()[i] = (float) value;
            case F64 d -> d.array()[i] = value;
        }
    }

    /** A new zeroed array of {@code size} elements in this operand's precision, from index 0. */
    default ArrayRef allocate(int size) {
        return switch (this) {
            case F32 f -> new F32(new float[size], 0);
            case F64 d -> new F64(new double[size], 0);
        };
    }

    /** Whether this is single precision. */
    default boolean isF32() {
        return this instanceof F32;
    }

    /** The float array of an F32 operand; fails for F64 (a kernel that only exists for float). */
    default float[] floats() {
        if (this instanceof F32 f) return f.array();
        throw new IllegalArgumentException("this kernel takes float arrays only, got a double array");
    }

    /** The double array of an F64 operand. */
    default double[] doubles() {
        if (this instanceof F64 d) return d.array();
        throw new IllegalArgumentException("expected a double array, got a float array");
    }

    /**
     * The elements as a double array indexed like this one: an F64 array itself, an F32 array widened (a copy).
     * With {@link #storeDoubles}, how the reference loops (written once, in double) serve both precisions.
     */
    default double[] toDoubles() {
        if (this instanceof F64 d) return d.array();
        float[] narrow = floats();
        double[] wide = new double[narrow.length];
        for (int i = 0; i < narrow.length; i++) wide[i] = narrow[i];
        return wide;
    }

    /**
     * A double array to compute an output into: an F64 array itself, else a scratch array as long as this one
     * (holding the old values when {@code keepOld}); {@link #storeDoubles} then rounds the results back.
     */
    default double[] outputDoubles(boolean keepOld) {
        if (this instanceof F64 d) return d.array();
        return keepOld ? toDoubles() : new double[length()];
    }

    /** Rounds {@code wide[from, from + n)} into this F32 array at the same indices; nothing for F64 (written in place). */
    default void storeDoubles(double[] wide, int from, int n) {
        if (this instanceof F32 f) {
            float[] target = f.array();
            for (int i = 0; i < n; i++) target[from + i] = (float) wide[from + i];
        }
    }

    /** The array itself, as an Object (a float[] or a double[]): for identity-keyed bookkeeping. */
    default Object array() {
        return this instanceof F32 f ? f.array() : ((F64) this).array();
    }
}
