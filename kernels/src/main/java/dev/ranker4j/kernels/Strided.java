package dev.ranker4j.kernels;

/**
 * An n-d operand read through strides: element {@code [i0, i1, ...]} is {@code data[offset + Σ i_k · strides[k]]}.
 * A stride of 0 repeats the element along that axis (broadcasting).
 */
public record Strided(ArrayRef data, int[] strides) {

    public static Strided of(float[] array, int offset, int[] strides) {
        return new Strided(ArrayRef.of(array, offset), strides);
    }

    public static Strided of(double[] array, int offset, int[] strides) {
        return new Strided(ArrayRef.of(array, offset), strides);
    }

    public int offset() {
        return data.offset();
    }
}
