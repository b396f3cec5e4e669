package dev.ranker4j.hfio.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A tensor from an ONNX file (an initializer or a Constant node's value): its elements as little-endian bytes in
 * row-major order, whichever TensorProto field they came from ({@code raw_data} or the typed {@code *_data} fields).
 */
public record OnnxTensor(String name, OnnxDataType dataType, long[] dims, byte[] littleEndianData) {

    public OnnxTensor {
        long count = 1;
        for (long dim : dims) {
            if (dim < 0 || (dim > 0 && count > Integer.MAX_VALUE / dim)) {
                throw new OnnxFormatException("tensor '" + name + "': invalid shape " + Arrays.toString(dims));
            }
            count *= dim;
        }
        if (count * dataType.byteSize() != littleEndianData.length) {
            throw new OnnxFormatException("tensor '" + name + "': shape " + Arrays.toString(dims) + " of " + dataType
                    + " needs " + count * dataType.byteSize() + " bytes but the file holds " + littleEndianData.length);
        }
    }

    public long elementCount() {
        return littleEndianData.length / dataType.byteSize();
    }

    /** The elements of a FLOAT tensor. */
    public float[] floats() {
        if (dataType != OnnxDataType.FLOAT) throw new OnnxFormatException("tensor '" + name + "' is " + dataType + ", not FLOAT");
        float[] values = new float[Math.toIntExact(elementCount())];
        ByteBuffer.wrap(littleEndianData).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
        return values;
    }

    /** The elements of an integer tensor (INT64, INT32, INT16, INT8, UINT8), widened to long. */
    public long[] longs() {
        ByteBuffer buffer = ByteBuffer.wrap(littleEndianData).order(ByteOrder.LITTLE_ENDIAN);
        long[] values = new long[Math.toIntExact(elementCount())];
        for (int i = 0; i < values.length; i++) {
            values[i] = switch (dataType) {
                case INT64 -> buffer.getLong();
                case INT32 -> buffer.getInt();
                case INT16 -> buffer.getShort();
                case INT8 -> buffer.get();
                case UINT8 -> buffer.get() & 0xFF;
                default -> throw new OnnxFormatException("tensor '" + name + "' is " + dataType + ", not an integer type");
            };
        }
        return values;
    }

    /** The single value of a one-element FLOAT or DOUBLE tensor (a graph constant such as an epsilon). */
    public double scalar() {
        if (elementCount() != 1) {
            throw new OnnxFormatException("tensor '" + name + "' has shape " + Arrays.toString(dims) + ", not a scalar");
        }
        return switch (dataType) {
            case FLOAT -> floats()[0];
            case DOUBLE -> ByteBuffer.wrap(littleEndianData).order(ByteOrder.LITTLE_ENDIAN).getDouble();
            default -> longs()[0];
        };
    }
}
