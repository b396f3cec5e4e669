package dev.ranker4j.tensor;

/**
 * Element types a {@link Tensor} can hold, and what each is for.
 *
 * <ul>
 *   <li>{@link #F32}: the fast path; every op.</li>
 *   <li>{@link #F64}: every op too, so gradient checks and references can run in double precision.</li>
 *   <li>{@link #F16}, {@link #BF16}: storage only (checkpoints, memory). They convert exactly to and from F32 with
 *       round-to-nearest-even; compute ops refuse them with a message saying to call {@code to(DType.F32)} first,
 *       because a silent conversion per op would hide a full copy in every call.</li>
 *   <li>{@link #I64}, {@link #I32}: token ids, labels, masks. Views, copies, conversion and indexing work on them;
 *       arithmetic does not.</li>
 * </ul>
 */
public enum DType {
    F32(4), F64(8), F16(2), BF16(2), I64(8), I32(4);

    private final int byteSize;

    DType(int byteSize) {
        this.byteSize = byteSize;
    }

    /** Bytes per element (as in a checkpoint file). */
    public int byteSize() {
        return byteSize;
    }

    /** True for the dtypes arithmetic runs on: F32 and F64. */
    public boolean isComputable() {
        return this == F32 || this == F64;
    }

    /** True for F32, F64, F16 and BF16. */
    public boolean isFloatingPoint() {
        return this != I64 && this != I32;
    }

    /** True for I64 and I32 (valid id tensors for {@link Tensor#embedding}). */
    public boolean isInteger() {
        return this == I64 || this == I32;
    }
}
