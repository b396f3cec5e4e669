package dev.ranker4j.hfio.onnx;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The wire-format reader and the ONNX message decoding on bytes built by hand with {@link ProtoWriter}. */
class ProtoReaderTest {

    @Property(tries = 200)
    void varintsRoundTrip(@ForAll long value) {
        ProtoReader in = new ProtoReader(new ProtoWriter().varintField(3, value).bytes(), "test");
        assertTrue(in.next());
        assertEquals(3, in.fieldNumber());
        assertEquals(value, in.readVarint());
        assertFalse(in.next());
    }

    @Test
    void readsEveryWireTypeAndSkipsUnknownFields() {
        byte[] bytes = new ProtoWriter()
                .varintField(1, 300)
                .fixed32Field(2, Float.floatToRawIntBits(1.5f))
                .fixed64Field(3, Double.doubleToRawLongBits(-2.25))
                .stringField(4, "naïve")
                .packedVarints(5, 1, 128, 1L << 40)
                .varintField(5, 7)                       // an unpacked element of the same repeated field
                .messageField(99, new ProtoWriter().varintField(1, 5)) // unknown: skipped
                .packedFloats(6, 0.5f, -1f)
                .bytes();
        ProtoReader in = new ProtoReader(bytes, "test");
        in.next();
        assertEquals(300, in.readVarint());
        in.next();
        assertEquals(1.5f, in.readFloat());
        in.next();
        assertEquals(-2.25, Double.longBitsToDouble(in.readFixed64()));
        in.next();
        assertEquals("naïve", in.readString());
        in.next();
        assertArrayEquals(new long[] {1, 128, 1L << 40}, in.readVarints());
        in.next();
        assertArrayEquals(new long[] {7}, in.readVarints());
        in.next();
        assertEquals(99, in.fieldNumber());
        in.skip();
        in.next();
        assertArrayEquals(new float[] {0.5f, -1f}, in.readFloats());
        assertFalse(in.next());
    }

    @Test
    void decodesAModelWithInitializersConstantsAndAttributes() {
        byte[] raw = new byte[4 * 6];
        java.nio.ByteBuffer.wrap(raw).order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer().put(new float[] {1, 2, 3, 4, 5, 6});
        ProtoWriter rawInit = new ProtoWriter().packedVarints(1, 2, 3).varintField(2, 1).stringField(8, "onnx::MatMul_1").bytesField(9, raw);
        ProtoWriter floatInit = new ProtoWriter().packedVarints(1, 3).varintField(2, 1).stringField(8, "dense.bias").packedFloats(4, 7, 8, 9);
        ProtoWriter int64Init = new ProtoWriter().packedVarints(1, 2).varintField(2, 7).stringField(8, "shape").packedVarints(7, -1, 12);
        ProtoWriter constant = new ProtoWriter().stringField(2, "/c_out").stringField(3, "/c").stringField(4, "Constant")
                .messageField(5, new ProtoWriter().stringField(1, "value").varintField(20, OnnxAttribute.TENSOR)
                        .messageField(5, new ProtoWriter().varintField(2, 1).packedFloats(4, 1e-12f)));
        ProtoWriter matmul = new ProtoWriter().stringField(1, "x").stringField(1, "onnx::MatMul_1").stringField(2, "y")
                .stringField(3, "/dense/MatMul").stringField(4, "MatMul")
                .messageField(5, new ProtoWriter().stringField(1, "perm").varintField(20, OnnxAttribute.INTS).packedVarints(8, 0, 2, 1, 3));
        ProtoWriter graph = new ProtoWriter().messageField(1, constant).messageField(1, matmul).stringField(2, "g")
                .messageField(5, rawInit).messageField(5, floatInit).messageField(5, int64Init)
                .messageField(11, new ProtoWriter().stringField(1, "x")).messageField(12, new ProtoWriter().stringField(1, "y"));
        byte[] model = new ProtoWriter().varintField(1, 8).stringField(2, "pytorch").messageField(7, graph)
                .messageField(8, new ProtoWriter().varintField(2, 14)).bytes();

        OnnxModel decoded = OnnxParser.parse(model);

        assertEquals(8, decoded.irVersion());
        assertEquals(14L, decoded.opsetImports().get(""));
        OnnxGraph g = decoded.graph();
        assertEquals(List.of("x"), g.inputs());
        assertEquals(List.of("y"), g.outputs());
        assertEquals(List.of("onnx::MatMul_1", "dense.bias", "shape"), List.copyOf(g.initializers().keySet()));
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, g.initializers().get("onnx::MatMul_1").floats());
        assertArrayEquals(new long[] {2, 3}, g.initializers().get("onnx::MatMul_1").dims());
        assertArrayEquals(new float[] {7, 8, 9}, g.initializers().get("dense.bias").floats());
        assertArrayEquals(new long[] {-1, 12}, g.initializers().get("shape").longs());
        assertEquals(1e-12f, (float) g.nodes().get(0).attribute("value").t().scalar());
        OnnxNode node = g.nodes().get(1);
        assertEquals(List.of("x", "onnx::MatMul_1"), node.inputs());
        assertArrayEquals(new long[] {0, 2, 1, 3}, node.attribute("perm").ints());
        assertNull(node.attribute("absent"));
        // Transposing the [2,3] MatMul weight gives HF's [3,2] Linear layout.
        HfTensor transposed = HfTensor.transposed("dense.weight", g.initializers().get("onnx::MatMul_1"));
        assertArrayEquals(new long[] {3, 2}, transposed.shape());
        float[] t = new float[6];
        java.nio.ByteBuffer.wrap(transposed.littleEndianData()).order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(t);
        assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, t);
    }

    @Test
    void malformedInputGivesAPositionedError() {
        assertMessage(new byte[] {(byte) 0x80}, "truncated varint");
        assertMessage(new ProtoWriter().key(7, 2).varint(50).bytes(), "declares 50 bytes but only 0 remain");
        assertMessage(new ProtoWriter().key(1, 3).bytes(), "unsupported wire type 3");
        assertMessage(new ProtoWriter().key(0, 0).varint(1).bytes(), "invalid field number 0");
        assertMessage(new ProtoWriter().key(99, 5).bytes(), "needs 4 bytes but only 0 remain");
        assertMessage(new ProtoWriter().varintField(1, 8).bytes(), "has no graph");
        assertMessage(new ProtoWriter().varintField(7, 1).bytes(), "field 7 has wire type 0, expected 2");
        byte[] badShape = new ProtoWriter().messageField(7, new ProtoWriter().messageField(5, new ProtoWriter()
                .packedVarints(1, 4).varintField(2, 1).stringField(8, "w").bytesField(9, new byte[12]))).bytes();
        assertMessage(badShape, "tensor 'w': shape [4] of FLOAT needs 16 bytes but the file holds 12");
        byte[] external = new ProtoWriter().messageField(7, new ProtoWriter().messageField(5, new ProtoWriter()
                .varintField(2, 1).stringField(8, "big").varintField(14, 1))).bytes();
        assertMessage(external, "tensor 'big' keeps its data in an external file");
        byte[] strings = new ProtoWriter().messageField(7, new ProtoWriter().messageField(5, new ProtoWriter()
                .varintField(2, 8).stringField(8, "s"))).bytes();
        assertMessage(strings, "tensor 's': unsupported ONNX data_type 8");
    }

    private static void assertMessage(byte[] bytes, String expected) {
        OnnxFormatException error = assertThrows(OnnxFormatException.class, () -> OnnxParser.parse(bytes));
        assertTrue(error.getMessage().contains(expected), error.getMessage());
    }

    /** A small valid model; every truncation and random corruption must decode or fail with OnnxFormatException. */
    private static final byte[] VALID = new ProtoWriter().varintField(1, 8)
            .messageField(7, new ProtoWriter()
                    .messageField(1, new ProtoWriter().stringField(1, "a").stringField(2, "b").stringField(4, "Relu")
                            .messageField(5, new ProtoWriter().stringField(1, "alpha").fixed32Field(2, 0x3f800000)))
                    .messageField(5, new ProtoWriter().packedVarints(1, 2, 2).varintField(2, 1).stringField(8, "w")
                            .packedFloats(4, 1, 2, 3, 4)))
            .bytes();

    @Provide
    Arbitrary<byte[]> corruptions() {
        return Arbitraries.integers().between(0, VALID.length - 1).tuple3()
                .map(t -> {
                    byte[] copy = Arrays.copyOf(VALID, VALID.length);
                    copy[t.get1()] = (byte) (t.get2() * 37 + t.get3());
                    return Arrays.copyOf(copy, Math.max(t.get3(), t.get1() + 1));
                });
    }

    @Property(tries = 300)
    void corruptedBytesNeverCrashTheDecoder(@ForAll("corruptions") byte[] bytes) {
        try {
            OnnxParser.parse(bytes);
        } catch (OnnxFormatException expected) {
            assertFalse(expected.getMessage().isEmpty());
        }
    }

    @Test
    void everyTruncationFailsCleanly() {
        for (int length = 0; length < VALID.length; length++) {
            byte[] prefix = Arrays.copyOf(VALID, length);
            assertThrows(OnnxFormatException.class, () -> OnnxParser.parse(prefix), "prefix of " + length + " bytes");
        }
        assertEquals(1, OnnxParser.parse(VALID).graph().initializers().size());
    }
}
