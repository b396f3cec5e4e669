package dev.ranker4j.hfio.safetensors;

import java.util.Optional;

/**
 * The element types a safetensors file may declare that Hugging Face models use, with their sizes in bytes.
 *
 * <p>The constant names are exactly the strings of the header's {@code "dtype"} field. All values are stored
 * little-endian. {@link #BOOL} is one byte holding 0 or 1. The newer 8-bit and 4-bit float formats of the
 * specification (F8_E4M3, F8_E5M2, ...) are not supported: a file using them is rejected as "unknown dtype".
 */
public enum SafetensorsDtype {
    F64(8), F32(4), F16(2), BF16(2), I64(8), I32(4), I16(2), I8(1), U8(1), BOOL(1);

    private final int byteSize;

    SafetensorsDtype(int byteSize) {
        this.byteSize = byteSize;
    }

    /** Size of one element in bytes. */
    public int byteSize() {
        return byteSize;
    }

    /** True for the floating-point types F64, F32, F16 and BF16. */
    public boolean isFloatingPoint() {
        return this == F64 || this == F32 || this == F16 || this == BF16;
    }

    /** The dtype whose header name is {@code headerName} (case-sensitive, as the format requires), if any. */
    public static Optional<SafetensorsDtype> fromHeaderName(String headerName) {
        for (SafetensorsDtype dtype : values()) {
            if (dtype.name().equals(headerName)) {
                return Optional.of(dtype);
            }
        }
        return Optional.empty();
    }
}
