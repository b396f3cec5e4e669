package dev.ranker4j.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.ByteArrayOutputStream;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The peer for {@code bench gemm}: ONNX Runtime running a one-node graph, C = MatMul(A, B), on the same operands and
 * thread count, so both figures come from the same machine load.
 *
 * <p>The model is written in memory as protobuf bytes (no ONNX library needed): ModelProto{ir_version = 8,
 * opset_import = {"" v13}, graph = GraphProto{node = MatMul(A, B) -> C, input = A, B, output = C}}, following
 * onnx/onnx.proto. Field numbers are noted where they are written.
 */
final class OnnxMatMulPeer implements AutoCloseable {

    private static final int ONNX_FLOAT = 1;
    private static final int ONNX_DOUBLE = 11;

    private final OrtSession session;
    private final OnnxTensor a;
    private final OnnxTensor b;

    /** Float operands: A is [batch, m, k] (or [m, k] when batch is 0), B is [batch, k, n]. */
    OnnxMatMulPeer(int threads, long[] aShape, float[] aValues, long[] bShape, float[] bValues) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        this.session = env.createSession(model(ONNX_FLOAT, aShape, bShape), options(threads));
        this.a = OnnxTensor.createTensor(env, FloatBuffer.wrap(aValues), aShape);
        this.b = OnnxTensor.createTensor(env, FloatBuffer.wrap(bValues), bShape);
    }

    /** Double operands, shapes as for floats. */
    OnnxMatMulPeer(int threads, long[] aShape, double[] aValues, long[] bShape, double[] bValues) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        this.session = env.createSession(model(ONNX_DOUBLE, aShape, bShape), options(threads));
        this.a = OnnxTensor.createTensor(env, DoubleBuffer.wrap(aValues), aShape);
        this.b = OnnxTensor.createTensor(env, DoubleBuffer.wrap(bValues), bShape);
    }

    /** One product; the output tensor ONNX Runtime allocates is released at once. */
    void run() {
        try {
            session.run(Map.of("A", a, "B", b)).close(); // nothing to read: only the time counts
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime MatMul failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() throws OrtException {
        a.close();
        b.close();
        session.close();
    }

    private static OrtSession.SessionOptions options(int threads) throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(threads);
        options.setInterOpNumThreads(1);
        // Idle ORT workers would otherwise spin after each run and steal the cores from our own measurement.
        options.addConfigEntry("session.intra_op.allow_spinning", "0");
        return options;
    }

    /** The serialized ModelProto of C = MatMul(A, B). */
    static byte[] model(int elemType, long[] aShape, long[] bShape) {
        long[] cShape = aShape.clone();
        cShape[cShape.length - 1] = bShape[bShape.length - 1];
        Proto node = new Proto().string(1, "A").string(1, "B").string(2, "C").string(3, "matmul").string(4, "MatMul");
        Proto graph = new Proto().message(1, node).string(2, "gemm_peer")
                .message(11, valueInfo("A", elemType, aShape))
                .message(11, valueInfo("B", elemType, bShape))
                .message(12, valueInfo("C", elemType, cShape));
        Proto opset = new Proto().string(1, "").varint(2, 13);
        return new Proto().varint(1, 8).string(2, "ranker4j-bench").message(7, graph).message(8, opset).bytes();
    }

    /** ValueInfoProto{name = 1, type = 2: TypeProto{tensor_type = 1: {elem_type = 1, shape = 2: {dim = 1: {dim_value = 1}}}}}. */
    private static Proto valueInfo(String name, int elemType, long[] shape) {
        Proto dims = new Proto();
        for (long dim : shape) dims.message(1, new Proto().varint(1, dim));
        Proto tensorType = new Proto().varint(1, elemType).message(2, dims);
        return new Proto().string(1, name).message(2, new Proto().message(1, tensorType));
    }

    /** The three protobuf wire types a model needs: varint (0) and length-delimited (2) for strings and messages. */
    private static final class Proto {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Proto varint(int field, long value) {
            writeVarint(((long) field << 3));
            writeVarint(value);
            return this;
        }

        Proto string(int field, String value) {
            return lengthDelimited(field, value.getBytes(StandardCharsets.UTF_8));
        }

        Proto message(int field, Proto message) {
            return lengthDelimited(field, message.bytes());
        }

        byte[] bytes() {
            return out.toByteArray();
        }

        private Proto lengthDelimited(int field, byte[] payload) {
            writeVarint(((long) field << 3) | 2);
            writeVarint(payload.length);
            out.writeBytes(payload);
            return this;
        }

        private void writeVarint(long value) {
            while ((value & ~0x7FL) != 0) {
                out.write((int) ((value & 0x7F) | 0x80));
                value >>>= 7;
            }
            out.write((int) value);
        }
    }
}
