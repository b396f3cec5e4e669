package dev.ranker4j.hfio.onnx;

/**
 * A node attribute ({@code AttributeProto}) restricted to the kinds the importer reads: a float, an int, a string, a
 * tensor, or lists of floats or ints. Unused kinds stay null/empty.
 */
public record OnnxAttribute(String name, int type, float f, long i, String s, OnnxTensor t, float[] floats, long[] ints) {
    /** AttributeProto.AttributeType codes. */
    public static final int FLOAT = 1, INT = 2, STRING = 3, TENSOR = 4, FLOATS = 6, INTS = 7;
}
