package dev.ranker4j.hfio.onnx;

/**
 * The element types of ONNX's {@code TensorProto.DataType} that hold numbers, with their code and byte size.
 * (STRING, complex and the 4/8-bit float types are not supported by the importer and are rejected by name.)
 */
public enum OnnxDataType {
    FLOAT(1, 4), UINT8(2, 1), INT8(3, 1), UINT16(4, 2), INT16(5, 2), INT32(6, 4), INT64(7, 8), BOOL(9, 1),
    FLOAT16(10, 2), DOUBLE(11, 8), UINT32(12, 4), UINT64(13, 8), BFLOAT16(16, 2);

    private final int code;
    private final int byteSize;

    OnnxDataType(int code, int byteSize) {
        this.code = code;
        this.byteSize = byteSize;
    }

    public int code() { return code; }

    public int byteSize() { return byteSize; }

    /** The type with ONNX code {@code code}; {@code tensorName} is named in the error for unsupported codes. */
    public static OnnxDataType of(long code, String tensorName) {
        for (OnnxDataType type : values()) if (type.code == code) return type;
        throw new OnnxFormatException("tensor '" + tensorName + "': unsupported ONNX data_type " + code
                + " (supported: FLOAT, FLOAT16, BFLOAT16, DOUBLE, INT8..INT64, UINT8..UINT64, BOOL)");
    }
}
