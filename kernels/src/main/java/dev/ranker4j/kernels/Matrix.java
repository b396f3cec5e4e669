package dev.ranker4j.kernels;

/**
 * A row-major matrix operand of a GEMM or an attention kernel: its data, its leading dimension {@code ld} (the
 * distance between consecutive rows, which may exceed the row length: a column window of a wider matrix) and, for
 * batched calls, {@code batchStride}, the distance from one matrix of the batch to the next (0 broadcasts one matrix
 * over the batch).
 */
public record Matrix(ArrayRef data, int ld, int batchStride) {

    /** A single matrix (batch stride 0). */
    public static Matrix of(ArrayRef data, int ld) {
        return new Matrix(data, ld, 0);
    }

    public static Matrix of(float[] array, int offset, int ld) {
        return new Matrix(ArrayRef.of(array, offset), ld, 0);
    }

    public static Matrix of(double[] array, int offset, int ld) {
        return new Matrix(ArrayRef.of(array, offset), ld, 0);
    }

    /** Where the data starts. */
    public int offset() {
        return data.offset();
    }

    /** The same matrix starting {@code delta} elements further on. */
    public Matrix plus(int delta) {
        return new Matrix(data.plus(delta), ld, batchStride);
    }
}
