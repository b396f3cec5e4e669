package dev.ranker4j.hfio.onnx;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Naming rules and error messages of the weight mapping and config inference, on small graphs built in memory. */
class OnnxWeightMapperTest {

    private static OnnxTensor floats(String name, long... dims) {
        int count = 1;
        for (long d : dims) count *= (int) d;
        return new OnnxTensor(name, OnnxDataType.FLOAT, dims, new byte[4 * count]);
    }

    private static OnnxTensor int64(String name, long... values) {
        java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(8 * values.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (long v : values) bytes.putLong(v);
        return new OnnxTensor(name, OnnxDataType.INT64, new long[] {values.length}, bytes.array());
    }

    private static OnnxNode node(String name, String op, List<String> inputs, Map<String, OnnxAttribute> attributes) {
        return new OnnxNode(name, op, "", inputs, List.of(name + "_output_0"), attributes);
    }

    private static OnnxGraph graph(List<OnnxNode> nodes, OnnxTensor... initializers) {
        Map<String, OnnxTensor> byName = new LinkedHashMap<>();
        for (OnnxTensor t : initializers) byName.put(t.name(), t);
        return new OnnxGraph("g", nodes, byName, List.of("input_ids"), List.of("out"));
    }

    @Test
    void namesWeightsAfterTheirModulesAndDropsBuffersAndShapeConstants() {
        OnnxAttribute transB = new OnnxAttribute("transB", OnnxAttribute.INT, 0, 1, null, null, new float[0], new long[0]);
        OnnxGraph g = graph(List.of(
                        node("/encoder/layer.3/output/dense/MatMul", "MatMul", List.of("h", "onnx::MatMul_9"), Map.of()),
                        node("/classifier/Gemm", "Gemm", List.of("h", "classifier.weight", "classifier.bias"), Map.of("transB", transB)),
                        node("/Reshape", "Reshape", List.of("h", "onnx::Reshape_3"), Map.of())),
                floats("onnx::MatMul_9", 6, 4), floats("classifier.weight", 2, 4), floats("classifier.bias", 2),
                int64("onnx::Reshape_3", 0, 0, 2, 2), int64("embeddings.position_ids", 0, 1, 2));
        TreeMap<String, HfTensor> parameters = OnnxWeightMapper.parameters(g);
        assertEquals(List.of("classifier.bias", "classifier.weight", "encoder.layer.3.output.dense.weight"),
                List.copyOf(parameters.keySet()));
        assertArrayEquals(new long[] {4, 6}, parameters.get("encoder.layer.3.output.dense.weight").shape());
        assertArrayEquals(new long[] {2, 4}, parameters.get("classifier.weight").shape(), "transB=1 is already [out, in]");
    }

    @Test
    void anUnnamedFloatInitializerIsAnErrorNamingItAndItsConsumer() {
        OnnxGraph g = graph(List.of(node("/encoder/layer.0/output/Add", "Add", List.of("h", "onnx::Add_5"), Map.of())),
                floats("onnx::Add_5", 384));
        OnnxFormatException error = assertThrows(OnnxFormatException.class, () -> OnnxWeightMapper.parameters(g));
        assertTrue(error.getMessage().contains("'onnx::Add_5'") && error.getMessage().contains("/encoder/layer.0/output/Add (Add)"),
                error.getMessage());
    }

    @Test
    void aMatMulWithoutAModulePathNameIsAnError() {
        OnnxGraph g = graph(List.of(node("MatMul_17", "MatMul", List.of("h", "onnx::MatMul_1"), Map.of())),
                floats("onnx::MatMul_1", 4, 4));
        OnnxFormatException error = assertThrows(OnnxFormatException.class, () -> OnnxWeightMapper.parameters(g));
        assertTrue(error.getMessage().contains("MatMul_17 (MatMul)"), error.getMessage());
    }

    @Test
    void anIncompleteBertIsRejectedWithTheMissingNames() {
        TreeMap<String, HfTensor> parameters = new TreeMap<>();
        parameters.put("embeddings.word_embeddings.weight", HfTensor.kept("embeddings.word_embeddings.weight", floats("w", 10, 4)));
        OnnxFormatException error = assertThrows(OnnxFormatException.class,
                () -> BertGraphConfig.infer(parameters, graph(List.of()), 0));
        assertTrue(error.getMessage().contains("embeddings.position_embeddings.weight")
                && error.getMessage().contains("encoder.layer.0.*"), error.getMessage());
    }

    @Test
    void headsComeFromTheAttentionReshapeAndEpsilonFromLayerNormalization() {
        OnnxAttribute eps = new OnnxAttribute("epsilon", OnnxAttribute.FLOAT, 1e-5f, 0, null, null, new float[0], new long[0]);
        OnnxGraph g = graph(List.of(
                        node("/encoder/layer.0/attention/self/Reshape", "Reshape", List.of("q", "shape"), Map.of()),
                        node("/embeddings/LayerNorm/LayerNormalization", "LayerNormalization", List.of("x", "w", "b"), Map.of("epsilon", eps)),
                        node("/encoder/layer.0/intermediate/Gelu", "Gelu", List.of("x"), Map.of())),
                int64("shape", 0, 0, 4, 8));
        assertEquals(4, BertGraphConfig.attentionHeads(g, 32));
        assertEquals(1e-5, BertGraphConfig.layerNormEpsilon(g));
        assertEquals("gelu", BertGraphConfig.activation(g));
        OnnxFormatException noHeads = assertThrows(OnnxFormatException.class, () -> BertGraphConfig.attentionHeads(g, 64));
        assertTrue(noHeads.getMessage().contains("num_attention_heads"), noHeads.getMessage());
    }
}
