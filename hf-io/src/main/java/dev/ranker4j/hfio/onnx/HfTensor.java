package dev.ranker4j.hfio.onnx;

import java.util.Arrays;

/** A tensor under its Hugging Face name, in HF layout, as little-endian bytes ready for a safetensors file. */
public record HfTensor(String name, OnnxDataType dataType, long[] shape, byte[] littleEndianData) {

    /** The same elements with the two axes of a matrix swapped: [rows, cols] becomes [cols, rows]. */
    public static HfTensor transposed(String name, OnnxTensor matrix) {
        long[] dims = matrix.dims();
        if (dims.length != 2) {
            throw new OnnxFormatException("tensor '" + matrix.name() + "' has shape " + Arrays.toString(dims)
                    + "; only matrices can be transposed to the Linear layout");
        }
        int rows = Math.toIntExact(dims[0]), cols = Math.toIntExact(dims[1]), size = matrix.dataType().byteSize();
        byte[] in = matrix.littleEndianData(), out = new byte[in.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                System.arraycopy(in, (r * cols + c) * size, out, (c * rows + r) * size, size);
            }
        }
        return new HfTensor(name, matrix.dataType(), new long[] {cols, rows}, out);
    }

    /** The tensor as it is, renamed. */
    public static HfTensor kept(String name, OnnxTensor tensor) {
        return new HfTensor(name, tensor.dataType(), tensor.dims().clone(), tensor.littleEndianData());
    }
}
