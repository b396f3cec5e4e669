package dev.ranker4j.hfio.onnx;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes the ONNX messages the importer needs from protobuf wire format, with the field numbers of {@code onnx.proto}:
 * <pre>
 * ModelProto      ir_version=1 producer_name=2 graph=7 opset_import=8
 * OperatorSetId   domain=1 version=2
 * GraphProto      node=1 name=2 initializer=5 input=11 output=12
 * ValueInfoProto  name=1
 * NodeProto       input=1 output=2 name=3 op_type=4 attribute=5 domain=7
 * AttributeProto  name=1 f=2 i=3 s=4 t=5 floats=7 ints=8 type=20
 * TensorProto     dims=1 data_type=2 float_data=4 int32_data=5 int64_data=7 name=8 raw_data=9 double_data=10
 *                 uint64_data=11 external_data=13 data_location=14
 * </pre>
 * Every other field is skipped, as protobuf allows. Tensors stored outside the file (external data) are rejected.
 */
public final class OnnxParser {
    private OnnxParser() {}

    /** Reads and decodes an {@code .onnx} file (protobuf caps these at 2 GB, so one array holds it). */
    public static OnnxModel read(Path file) throws IOException {
        try {
            return parse(Files.readAllBytes(file));
        } catch (OnnxFormatException e) {
            throw new OnnxFormatException(file + ": " + e.getMessage());
        }
    }

    public static OnnxModel parse(byte[] bytes) {
        ProtoReader in = new ProtoReader(bytes, "ModelProto");
        long irVersion = 0;
        String producer = "";
        Map<String, Long> opsets = new LinkedHashMap<>();
        OnnxGraph graph = null;
        while (in.next()) {
            switch (in.fieldNumber()) {
                case 1 -> irVersion = in.readVarint();
                case 2 -> producer = in.readString();
                case 7 -> graph = graph(in.readMessage("graph"));
                case 8 -> {
                    ProtoReader opset = in.readMessage("opset_import");
                    String domain = "";
                    long version = 0;
                    while (opset.next()) {
                        switch (opset.fieldNumber()) {
                            case 1 -> domain = opset.readString();
                            case 2 -> version = opset.readVarint();
                            default -> opset.skip();
                        }
                    }
                    opsets.put(domain, version);
                }
                default -> in.skip();
            }
        }
        if (graph == null) throw new OnnxFormatException("ModelProto has no graph (field 7): not an ONNX model");
        return new OnnxModel(irVersion, producer, opsets, graph);
    }

    static OnnxGraph graph(ProtoReader in) {
        String name = "";
        List<OnnxNode> nodes = new ArrayList<>();
        Map<String, OnnxTensor> initializers = new LinkedHashMap<>();
        List<String> inputs = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        while (in.next()) {
            switch (in.fieldNumber()) {
                case 1 -> nodes.add(node(in.readMessage("node")));
                case 2 -> name = in.readString();
                case 5 -> {
                    OnnxTensor tensor = tensor(in.readMessage("initializer"));
                    if (initializers.putIfAbsent(tensor.name(), tensor) != null) {
                        throw in.error("initializer '" + tensor.name() + "' appears twice");
                    }
                }
                case 11 -> inputs.add(valueInfoName(in.readMessage("input")));
                case 12 -> outputs.add(valueInfoName(in.readMessage("output")));
                default -> in.skip();
            }
        }
        return new OnnxGraph(name, List.copyOf(nodes), initializers, List.copyOf(inputs), List.copyOf(outputs));
    }

    private static String valueInfoName(ProtoReader in) {
        String name = "";
        while (in.next()) {
            if (in.fieldNumber() == 1) name = in.readString();
            else in.skip();
        }
        return name;
    }

    static OnnxNode node(ProtoReader in) {
        String name = "", opType = "", domain = "";
        List<String> inputs = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        Map<String, OnnxAttribute> attributes = new LinkedHashMap<>();
        while (in.next()) {
            switch (in.fieldNumber()) {
                case 1 -> inputs.add(in.readString());
                case 2 -> outputs.add(in.readString());
                case 3 -> name = in.readString();
                case 4 -> opType = in.readString();
                case 5 -> {
                    OnnxAttribute attribute = attribute(in.readMessage("attribute"));
                    attributes.put(attribute.name(), attribute);
                }
                case 7 -> domain = in.readString();
                default -> in.skip();
            }
        }
        return new OnnxNode(name, opType, domain, List.copyOf(inputs), List.copyOf(outputs), attributes);
    }

    static OnnxAttribute attribute(ProtoReader in) {
        String name = "", s = null;
        int type = 0;
        float f = 0;
        long i = 0;
        OnnxTensor t = null;
        float[] floats = new float[0];
        long[] ints = new long[0];
        while (in.next()) {
            switch (in.fieldNumber()) {
                case 1 -> name = in.readString();
                case 2 -> f = in.readFloat();
                case 3 -> i = in.readVarint();
                case 4 -> s = in.readString();
                case 5 -> t = tensor(in.readMessage("t"));
                case 7 -> floats = concat(floats, in.readFloats());
                case 8 -> ints = concat(ints, in.readVarints());
                case 20 -> type = (int) in.readVarint();
                default -> in.skip();
            }
        }
        return new OnnxAttribute(name, type, f, i, s, t, floats, ints);
    }

    static OnnxTensor tensor(ProtoReader in) {
        long[] dims = new long[0];
        long dataType = 0;
        String name = "";
        byte[] raw = null;
        float[] floatData = new float[0];
        long[] intData = new long[0];   // int32_data, int64_data and uint64_data all arrive as varints
        double[] doubleData = new double[0];
        boolean external = false;
        while (in.next()) {
            switch (in.fieldNumber()) {
                case 1 -> dims = concat(dims, in.readVarints());
                case 2 -> dataType = in.readVarint();
                case 4 -> floatData = concat(floatData, in.readFloats());
                case 5, 7, 11 -> intData = concat(intData, in.readVarints());
                case 8 -> name = in.readString();
                case 9 -> raw = in.readBytes();
                case 10 -> doubleData = concat(doubleData, in.readDoubles());
                case 14 -> external = in.readVarint() == 1;
                default -> in.skip();
            }
        }
        if (external) {
            throw in.error("tensor '" + name + "' keeps its data in an external file, which the importer does not read;"
                    + " re-save the model with onnx.save_model(..., save_as_external_data=False)");
        }
        OnnxDataType type = OnnxDataType.of(dataType, name);
        byte[] data = raw != null ? raw : typedData(type, floatData, intData, doubleData);
        return new OnnxTensor(name, type, dims, data);
    }

    /** Re-encodes the typed {@code *_data} fields as little-endian bytes of {@code type}. */
    private static byte[] typedData(OnnxDataType type, float[] floats, long[] ints, double[] doubles) {
        int count = switch (type) {
            case FLOAT -> floats.length;
            case DOUBLE -> doubles.length;
            default -> ints.length;
        };
        ByteBuffer out = ByteBuffer.allocate(count * type.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
        for (int k = 0; k < count; k++) {
            switch (type) {
                case FLOAT -> out.putFloat(floats[k]);
                case DOUBLE -> out.putDouble(doubles[k]);
                // int32_data carries the bit patterns of the narrow types (FLOAT16 and BFLOAT16 included).
                case INT8, UINT8, BOOL -> out.put((byte) ints[k]);
                case INT16, UINT16, FLOAT16, BFLOAT16 -> out.putShort((short) ints[k]);
                case INT32, UINT32 -> out.putInt((int) ints[k]);
                case INT64, UINT64 -> out.putLong(ints[k]);
            }
        }
        return out.array();
    }

    private static long[] concat(long[] a, long[] b) {
        long[] joined = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, joined, a.length, b.length);
        return joined;
    }

    private static float[] concat(float[] a, float[] b) {
        float[] joined = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, joined, a.length, b.length);
        return joined;
    }

    private static double[] concat(double[] a, double[] b) {
        double[] joined = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, joined, a.length, b.length);
        return joined;
    }
}
